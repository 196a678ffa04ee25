import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLogs, customFieldDefinitions, leads } from "@/server/db/schema";
import { fieldKeyFromLabel } from "@/server/services/leads/custom-fields";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

async function defCount(workspaceId: string) {
  return (
    await h.db
      .select()
      .from(customFieldDefinitions)
      .where(eq(customFieldDefinitions.workspaceId, workspaceId))
  ).length;
}

describe("leads.fields", () => {
  it("derives keys from labels", () => {
    expect(fieldKeyFromLabel("Plan tier (2024)")).toBe("plan_tier_2024");
    expect(fieldKeyFromLabel("Café crème")).toBe("cafe_creme");
    expect(fieldKeyFromLabel("2nd address")).toBe("f_2nd_address");
    expect(fieldKeyFromLabel("!!!")).toBe("field");
  });

  it("creates fields with unique keys, lists them for viewers, records activity", async () => {
    const c = callerFor(h.db, f.member);
    const a = await c.leads.fields.create({ workspaceId: f.ws.id, label: "Company size", type: "number" });
    const b = await c.leads.fields.create({ workspaceId: f.ws.id, label: "Company Size", type: "text" });
    expect([a.key, b.key]).toEqual(["company_size", "company_size_2"]);
    const s = await c.leads.fields.create({
      workspaceId: f.ws.id,
      label: "Tier",
      type: "select",
      options: ["a", "b", "a"],
    });
    expect(s.options).toEqual(["a", "b"]);
    const list = await callerFor(h.db, f.viewer).leads.fields.list({ workspaceId: f.ws.id });
    expect(list.map((d) => d.key)).toEqual(["company_size", "company_size_2", "tier"]);
    const [log] = await h.db.select().from(activityLogs).where(eq(activityLogs.entityId, a.id));
    expect(log).toMatchObject({ action: "custom_field.created" });
  });

  it("refuses invalid definitions, viewers and other workspaces, writing nothing", async () => {
    const before = await defCount(f.ws.id);
    const c = callerFor(h.db, f.member);
    await expect(
      c.leads.fields.create({ workspaceId: f.ws.id, label: "", type: "text" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      c.leads.fields.create({ workspaceId: f.ws.id, label: "Pick", type: "select" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      // @ts-expect-error not a field type
      c.leads.fields.create({ workspaceId: f.ws.id, label: "Color", type: "color" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(h.db, f.viewer).leads.fields.create({ workspaceId: f.ws.id, label: "X", type: "text" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.otherOwner).leads.fields.create({ workspaceId: f.ws.id, label: "X", type: "text" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.otherOwner).leads.fields.list({ workspaceId: f.ws.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await defCount(f.ws.id)).toBe(before);
  });

  it("updates label and options, never the type", async () => {
    const c = callerFor(h.db, f.member);
    const d = await c.leads.fields.create({
      workspaceId: f.ws.id,
      label: "Stage",
      type: "select",
      options: ["lead"],
    });
    const u = await c.leads.fields.update({
      workspaceId: f.ws.id,
      id: d.id,
      label: "Pipeline stage",
      options: ["lead", "won"],
    });
    expect(u).toMatchObject({
      key: "stage",
      label: "Pipeline stage",
      type: "select",
      options: ["lead", "won"],
    });
    await expect(
      // @ts-expect-error the type cannot change
      c.leads.fields.update({ workspaceId: f.ws.id, id: d.id, type: "text" }),
    ).resolves.toMatchObject({ type: "select" });
    await expect(
      c.leads.fields.update({ workspaceId: f.ws.id, id: d.id, options: [] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const num = await c.leads.fields.create({ workspaceId: f.ws.id, label: "Score", type: "number" });
    await expect(
      c.leads.fields.update({ workspaceId: f.ws.id, id: num.id, options: ["x"] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      callerFor(h.db, f.viewer).leads.fields.update({ workspaceId: f.ws.id, id: d.id, label: "Nope" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.otherOwner).leads.fields.update({ workspaceId: f.other.id, id: d.id, label: "Nope" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [row] = await h.db.select().from(customFieldDefinitions).where(eq(customFieldDefinitions.id, d.id));
    expect(row).toMatchObject({ label: "Pipeline stage", type: "select" });
  });

  it("deletes (admin+) and removes the values from leads of this workspace only", async () => {
    const admin = callerFor(h.db, f.admin);
    const d = await admin.leads.fields.create({ workspaceId: f.ws.id, label: "Shoe size", type: "number" });
    const lead = await admin.leads.create({
      workspaceId: f.ws.id,
      email: "shoe@x.test",
      customFields: { shoe_size: 42 },
    });
    const [foreign] = await h.db
      .insert(leads)
      .values({ workspaceId: f.other.id, email: "shoe@x.test", customFields: { shoe_size: 40 } })
      .returning();
    await expect(
      callerFor(h.db, f.member).leads.fields.delete({ workspaceId: f.ws.id, id: d.id }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      callerFor(h.db, f.otherOwner).leads.fields.delete({ workspaceId: f.other.id, id: d.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await admin.leads.fields.delete({ workspaceId: f.ws.id, id: d.id });
    expect(
      await h.db.select().from(customFieldDefinitions).where(eq(customFieldDefinitions.id, d.id)),
    ).toHaveLength(0);
    const [mine] = await h.db.select().from(leads).where(eq(leads.id, lead.id));
    expect(mine?.customFields).toEqual({});
    const [theirs] = await h.db.select().from(leads).where(eq(leads.id, foreign!.id));
    expect(theirs?.customFields).toEqual({ shoe_size: 40 });
    const logs = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.entityId, d.id), eq(activityLogs.action, "custom_field.deleted")));
    expect(logs).toHaveLength(1);
  });
});

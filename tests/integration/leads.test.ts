import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  activityLogs,
  campaignSteps,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
  segments,
} from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

async function leadCount(workspaceId: string) {
  return (await h.db.select({ id: leads.id }).from(leads).where(eq(leads.workspaceId, workspaceId))).length;
}

async function insertLeads(workspaceId: string, rows: Partial<typeof leads.$inferInsert>[]) {
  return h.db
    .insert(leads)
    .values(
      rows.map((r, i) => ({
        workspaceId,
        email: `lead${i}-${Math.random().toString(36).slice(2, 8)}@x.test`,
        ...r,
      })),
    )
    .returning();
}

describe("leads.create", () => {
  it("stores the email trimmed and lower-cased, records activity, refuses a normalized duplicate", async () => {
    const c = callerFor(h.db, f.member);
    const lead = await c.leads.create({
      workspaceId: f.ws.id,
      email: "  Ann@Example.COM ",
      name: " Ann ",
      tags: ["vip", "VIP", " new "],
    });
    expect(lead).toMatchObject({
      email: "ann@example.com",
      name: "Ann",
      status: "active",
      tags: ["vip", "new"],
    });
    const [log] = await h.db.select().from(activityLogs).where(eq(activityLogs.entityId, lead.id));
    expect(log).toMatchObject({ action: "lead.created", userId: f.member.id });
    const before = await leadCount(f.ws.id);
    await expect(c.leads.create({ workspaceId: f.ws.id, email: "ANN@example.com " })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("ann@example.com"),
    });
    expect(await leadCount(f.ws.id)).toBe(before);
    // the same address is fine in another workspace
    await expect(
      callerFor(h.db, f.otherOwner).leads.create({ workspaceId: f.other.id, email: "ann@example.com" }),
    ).resolves.toMatchObject({ email: "ann@example.com" });
  });

  it("refuses an invalid address with the reason and writes nothing", async () => {
    const before = await leadCount(f.ws.id);
    const c = callerFor(h.db, f.member);
    await expect(c.leads.create({ workspaceId: f.ws.id, email: "not-an-email" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Email has no @"),
    });
    await expect(c.leads.create({ workspaceId: f.ws.id, email: "a b@x.test" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await leadCount(f.ws.id)).toBe(before);
  });

  it("validates custom fields against the workspace's definitions", async () => {
    const admin = callerFor(h.db, f.admin);
    await admin.leads.fields.create({ workspaceId: f.ws.id, label: "Order count", type: "number" });
    await admin.leads.fields.create({
      workspaceId: f.ws.id,
      label: "Plan",
      type: "select",
      options: ["free", "pro"],
    });
    await admin.leads.fields.create({ workspaceId: f.ws.id, label: "Birthday", type: "date" });
    await admin.leads.fields.create({ workspaceId: f.ws.id, label: "Opted in", type: "boolean" });
    const c = callerFor(h.db, f.member);
    const before = await leadCount(f.ws.id);
    const bads: Record<string, string>[] = [
      { order_count: "lots" },
      { plan: "enterprise" },
      { birthday: "2026-02-30" },
      { opted_in: "maybe" },
      { unknown_key: "x" },
    ];
    for (const bad of bads) {
      await expect(
        c.leads.create({ workspaceId: f.ws.id, email: "typed@x.test", customFields: bad }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await leadCount(f.ws.id)).toBe(before);
    const ok = await c.leads.create({
      workspaceId: f.ws.id,
      email: "typed@x.test",
      customFields: { order_count: "1,200", plan: "pro", birthday: "1990-05-01", opted_in: "yes" },
    });
    expect(ok.customFields).toEqual({
      order_count: 1200,
      plan: "pro",
      birthday: "1990-05-01",
      opted_in: true,
    });
  });

  it("refuses viewers (FORBIDDEN) and other workspaces (NOT_FOUND)", async () => {
    await expect(
      callerFor(h.db, f.viewer).leads.create({ workspaceId: f.ws.id, email: "v@x.test" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.otherOwner).leads.create({ workspaceId: f.ws.id, email: "v@x.test" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(h.db, null).leads.list({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    // The count of another workspace's leads is refused like its list.
    await expect(callerFor(h.db, f.otherOwner).leads.count({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(h.db, null).leads.count({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("leads.list", () => {
  it("pages with a stable cursor: every row exactly once, ties in created_at included", async () => {
    const { ws } = f;
    const owner = callerFor(h.db, f.owner);
    const fresh = await import("../helpers/fixtures").then((m) =>
      m.createWorkspace(h.db, f.owner, { name: "Paging" }),
    );
    const same = new Date("2026-01-01T00:00:00.123456Z");
    await insertLeads(
      fresh.id,
      Array.from({ length: 23 }, (_, i) => ({
        createdAt: i < 15 ? same : new Date(Date.UTC(2026, 0, 2, 0, 0, i)),
        name: i % 3 === 0 ? null : `Name ${i % 4}`,
      })),
    );
    // microsecond ties: same value down to the microsecond for 15 rows
    await h.db.execute(
      sql`update leads set created_at = '2026-01-01 00:00:00.123456+00' where workspace_id = ${fresh.id} and created_at < '2026-01-02'`,
    );
    for (const sort of ["createdAt", "email", "name"] as const) {
      for (const order of ["asc", "desc"] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await owner.leads.list({ workspaceId: fresh.id, limit: 4, sort, order, cursor });
          seen.push(...page.items.map((l) => l.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 20);
        expect(seen).toHaveLength(23);
        expect(await owner.leads.count({ workspaceId: fresh.id })).toBe(23);
        expect(new Set(seen).size).toBe(23);
      }
    }
    expect(ws.id).not.toBe(fresh.id);
    await expect(owner.leads.list({ workspaceId: fresh.id, cursor: "garbage" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const page = await owner.leads.list({ workspaceId: fresh.id });
    expect(page.items).toHaveLength(23); // default 50 a page
  });

  it("filters by search (with % and _ as literals), tags (has all), status, source and custom field", async () => {
    const fx = await import("../helpers/fixtures");
    const w = await fx.createWorkspace(h.db, f.owner, { name: "Filters" });
    const c = callerFor(h.db, f.owner);
    await c.leads.fields.create({ workspaceId: w.id, label: "Plan", type: "text" });
    await insertLeads(w.id, [
      {
        email: "100%real@x.test",
        name: "Percent",
        tags: ["a", "b"],
        source: "form",
        customFields: { plan: "pro" },
      },
      { email: "1000real@x.test", name: "Zeros", tags: ["a"], source: "import", status: "unsubscribed" },
      { email: "under_score@x.test", name: "Under", tags: ["b"], source: "form" },
      {
        email: "underxscore@x.test",
        name: "Mr. Underx",
        tags: [],
        source: null,
        customFields: { plan: "free" },
      },
    ]);
    const emails = async (input: Record<string, unknown>) =>
      (await c.leads.list({ workspaceId: w.id, sort: "email", order: "asc", ...input })).items.map(
        (l) => l.email,
      );
    expect(await emails({ search: "%" })).toEqual(["100%real@x.test"]);
    expect(await emails({ search: "0%r" })).toEqual(["100%real@x.test"]);
    expect(await emails({ search: "r_s" })).toEqual(["under_score@x.test"]);
    expect(await emails({ search: "underx" })).toEqual(["underxscore@x.test"]);
    expect(await emails({ search: "PERCENT" })).toEqual(["100%real@x.test"]);
    expect(await emails({ tags: ["a", "b"] })).toEqual(["100%real@x.test"]);
    expect(await emails({ tags: ["a"] })).toHaveLength(2);
    expect(await emails({ status: "unsubscribed" })).toEqual(["1000real@x.test"]);
    expect(await emails({ source: "form" })).toEqual(["100%real@x.test", "under_score@x.test"]);
    expect(await emails({ custom: { key: "plan", value: "free" } })).toEqual(["underxscore@x.test"]);
    const tags = await c.leads.tags({ workspaceId: w.id });
    expect(tags).toEqual([
      { tag: "a", count: 2 },
      { tag: "b", count: 2 },
    ]);
    expect(await c.leads.sources({ workspaceId: w.id })).toEqual([
      { source: "form", count: 2 },
      { source: "import", count: 1 },
    ]);
    // segment filter through the segments compiler
    const [seg] = await h.db
      .insert(segments)
      .values({
        workspaceId: w.id,
        name: "Formers",
        criteria: { match: "all", conditions: [{ field: "source", op: "is", value: "form" }] },
      })
      .returning();
    expect(await emails({ segmentId: seg!.id })).toEqual(["100%real@x.test", "under_score@x.test"]);
    const [foreignSeg] = await h.db
      .insert(segments)
      .values({ workspaceId: f.other.id, name: "x", criteria: { match: "all", conditions: [] } })
      .returning();
    await expect(emails({ segmentId: foreignSeg!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets viewers read and hides other workspaces", async () => {
    await expect(callerFor(h.db, f.viewer).leads.list({ workspaceId: f.ws.id })).resolves.toMatchObject({
      items: expect.any(Array),
    });
    await expect(callerFor(h.db, f.viewer).leads.count({ workspaceId: f.ws.id })).resolves.toEqual(
      expect.any(Number),
    );
    await expect(callerFor(h.db, f.otherOwner).leads.list({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(h.db, f.otherOwner).leads.tags({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(h.db, f.otherOwner).leads.sources({ workspaceId: f.ws.id })).rejects.toMatchObject(
      {
        code: "NOT_FOUND",
      },
    );
    await expect(
      callerFor(h.db, f.member).leads.list({ workspaceId: f.ws.id, limit: 201 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("leads.get / update / delete", () => {
  it("shows a timeline with creation, emails sent, opens, clicks, unsubscribes and status changes", async () => {
    const c = callerFor(h.db, f.member);
    const lead = await c.leads.create({ workspaceId: f.ws.id, email: "timeline@x.test", source: "form" });
    const [camp] = await h.db
      .insert(emailCampaigns)
      .values({ workspaceId: f.ws.id, name: "Spring sale", type: "one-time", content: {} })
      .returning();
    const [step] = await h.db
      .insert(campaignSteps)
      .values({ workspaceId: f.ws.id, campaignId: camp!.id, position: 0, subject: "Hi" })
      .returning();
    const [send] = await h.db
      .insert(emailSends)
      .values({
        workspaceId: f.ws.id,
        campaignId: camp!.id,
        stepId: step!.id,
        leadId: lead.id,
        toAddress: lead.email,
        status: "sent",
        sentAt: new Date(Date.now() + 1000),
      })
      .returning();
    const base = { workspaceId: f.ws.id, sendId: send!.id, campaignId: camp!.id, leadId: lead.id };
    await h.db.insert(emailEvents).values([
      { ...base, type: "open", createdAt: new Date(Date.now() + 2000) },
      { ...base, type: "open", isMachine: true, createdAt: new Date(Date.now() + 2500) },
      { ...base, type: "click", url: "https://shop.test/sale", createdAt: new Date(Date.now() + 3000) },
      { ...base, type: "unsubscribe", createdAt: new Date(Date.now() + 4000) },
    ]);
    await c.leads.update({ workspaceId: f.ws.id, id: lead.id, status: "unsubscribed" });
    const got = await callerFor(h.db, f.viewer).leads.get({ workspaceId: f.ws.id, id: lead.id });
    const kinds = got.timeline.map((t) => t.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["created", "sent", "opened", "clicked", "unsubscribed", "status"]),
    );
    expect(kinds.filter((k) => k === "opened")).toHaveLength(1); // machine open not shown
    expect(got.timeline.find((t) => t.kind === "sent")?.detail).toBe("Spring sale");
    expect(got.timeline.find((t) => t.kind === "clicked")?.detail).toContain("https://shop.test/sale");
    expect(got.timeline.at(-1)?.kind).toBe("created");
    await expect(
      callerFor(h.db, f.otherOwner).leads.get({ workspaceId: f.other.id, id: lead.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, f.otherOwner).leads.get({ workspaceId: f.ws.id, id: lead.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("updates fields, merges custom fields, normalizes a new email and refuses a duplicate", async () => {
    const c = callerFor(h.db, f.member);
    const a = await c.leads.create({
      workspaceId: f.ws.id,
      email: "upd-a@x.test",
      customFields: { plan: "free", order_count: 2 },
    });
    await c.leads.create({ workspaceId: f.ws.id, email: "upd-b@x.test" });
    const u = await c.leads.update({
      workspaceId: f.ws.id,
      id: a.id,
      email: " UPD-A2@X.test",
      name: "Anna",
      tags: ["x"],
      customFields: { plan: "pro", order_count: null },
    });
    expect(u).toMatchObject({
      email: "upd-a2@x.test",
      name: "Anna",
      tags: ["x"],
      customFields: { plan: "pro" },
    });
    const [log] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.entityId, a.id), eq(activityLogs.action, "lead.updated")));
    expect(log?.metadata).toMatchObject({ changes: { name: { from: null, to: "Anna" } } });
    await expect(
      c.leads.update({ workspaceId: f.ws.id, id: a.id, email: "UPD-B@x.test" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("upd-b@x.test"),
    });
    await expect(
      c.leads.update({ workspaceId: f.ws.id, id: a.id, customFields: { plan: "gold" } }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(c.leads.update({ workspaceId: f.ws.id, id: a.id, email: "nope" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const [row] = await h.db.select().from(leads).where(eq(leads.id, a.id));
    expect(row).toMatchObject({ email: "upd-a2@x.test", customFields: { plan: "pro" } });
    await expect(
      callerFor(h.db, f.viewer).leads.update({ workspaceId: f.ws.id, id: a.id, name: "Nope" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.otherOwner).leads.update({ workspaceId: f.other.id, id: a.id, name: "Nope" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deletes within the workspace only", async () => {
    const c = callerFor(h.db, f.member);
    const a = await c.leads.create({ workspaceId: f.ws.id, email: "del@x.test" });
    await expect(
      callerFor(h.db, f.viewer).leads.delete({ workspaceId: f.ws.id, id: a.id }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      callerFor(h.db, f.otherOwner).leads.delete({ workspaceId: f.other.id, id: a.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(c.leads.delete({ workspaceId: f.ws.id, id: "not-a-uuid" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await h.db.select().from(leads).where(eq(leads.id, a.id))).toHaveLength(1);
    await c.leads.delete({ workspaceId: f.ws.id, id: a.id });
    expect(await h.db.select().from(leads).where(eq(leads.id, a.id))).toHaveLength(0);
    const [log] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.entityId, a.id), eq(activityLogs.action, "lead.deleted")));
    expect(log).toBeDefined();
  });
});

describe("leads.bulk", () => {
  it("adds and removes tags and deletes, never touching another workspace's ids", async () => {
    const mine = await insertLeads(f.ws.id, [{ tags: ["old"] }, { tags: [] }, { tags: ["keep"] }]);
    const theirs = await insertLeads(f.other.id, [{ tags: ["old"] }, { tags: [] }]);
    const ids = [...mine, ...theirs].map((l) => l.id);
    const c = callerFor(h.db, f.member);
    expect(await c.leads.bulk({ workspaceId: f.ws.id, ids, action: "addTag", tag: "promo" })).toEqual({
      requested: 5,
      matched: 3,
      changed: 3,
    });
    expect(await c.leads.bulk({ workspaceId: f.ws.id, ids, action: "addTag", tag: "promo" })).toMatchObject({
      changed: 0,
    });
    expect(await c.leads.bulk({ workspaceId: f.ws.id, ids, action: "removeTag", tag: "old" })).toMatchObject({
      matched: 3,
      changed: 1,
    });
    const theirRows = await h.db.select().from(leads).where(eq(leads.workspaceId, f.other.id));
    for (const t of theirs) {
      expect(theirRows.find((r) => r.id === t.id)?.tags).toEqual(t.tags);
    }
    const myRows = await h.db.select().from(leads).where(eq(leads.workspaceId, f.ws.id));
    expect(myRows.find((r) => r.id === mine[0]!.id)?.tags).toEqual(["promo"]);
    expect(myRows.find((r) => r.id === mine[2]!.id)?.tags).toEqual(["keep", "promo"]);

    await expect(c.leads.bulk({ workspaceId: f.ws.id, ids, action: "addTag" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      c.leads.bulk({
        workspaceId: f.ws.id,
        ids: Array.from({ length: 501 }, () => mine[0]!.id),
        action: "delete",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(h.db, f.viewer).leads.bulk({ workspaceId: f.ws.id, ids, action: "delete" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      callerFor(h.db, f.otherOwner).leads.bulk({ workspaceId: f.ws.id, ids, action: "delete" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect(await c.leads.bulk({ workspaceId: f.ws.id, ids, action: "delete" })).toEqual({
      requested: 5,
      matched: 3,
      changed: 3,
    });
    expect(await h.db.select().from(leads).where(eq(leads.workspaceId, f.other.id))).toHaveLength(
      theirRows.length,
    );
    const logs = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), sql`${activityLogs.action} like 'lead.bulk_%'`));
    expect(logs.map((l) => l.action)).toEqual(
      expect.arrayContaining(["lead.bulk_tagged", "lead.bulk_untagged", "lead.bulk_deleted"]),
    );
  });
});

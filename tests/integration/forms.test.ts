import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLogs, customFieldDefinitions, leads, outboxMessages } from "@/server/db/schema";
import { unsealOutboxBody } from "@/server/services/email/outbox";
import { confirmUrl } from "@/server/services/forms/confirm-link";
import { handleFormPost } from "@/server/services/forms/http";
import { confirmSubscription } from "@/server/services/forms/submit";
import { setupTestDb } from "../helpers/db";
import { leadEventLog } from "../helpers/domain-events";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const events = leadEventLog(h.db, () => f.ws.id);
let ipSeq = 1;
const nextIp = () => `198.51.100.${ipSeq++}`;
const actor = () => ({ userId: null, ip: nextIp(), userAgent: "vitest" });
const BASE = "http://localhost:3000";

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  await h.db.insert(customFieldDefinitions).values([
    { workspaceId: f.ws.id, key: "company", label: "Company", type: "text" },
    { workspaceId: f.ws.id, key: "employees", label: "Employees", type: "number" },
  ]);
});

async function makeForm(extra: Record<string, unknown> = {}) {
  return callerFor(h.db, f.admin).forms.create({
    workspaceId: f.ws.id,
    name: `Newsletter ${Math.random().toString(36).slice(2, 8)}`,
    fields: [
      { key: "name", label: "Your name", required: true },
      { key: "employees", label: "Team size", required: false },
    ],
    tags: ["newsletter"],
    ...extra,
  });
}

function post(formSlug: string, body: Record<string, string>, opts: { json?: boolean; ip?: string } = {}) {
  const ip = opts.ip ?? nextIp();
  const req = new Request(`${BASE}/api/forms/${f.ws.slug}/${formSlug}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(opts.json && { accept: "application/json" }),
    },
    body: new URLSearchParams(body),
  });
  return handleFormPost(req, {
    db: h.db,
    workspaceSlug: f.ws.slug,
    formSlug,
    actor: { userId: null, ip, userAgent: "vitest" },
    baseUrl: BASE,
  });
}

const lead = async (email: string) =>
  (
    await h.db
      .select()
      .from(leads)
      .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.email, email)))
  )[0];

describe("forms router", () => {
  it("creates with a slug, lists, updates, deletes, with activity", async () => {
    const c = callerFor(h.db, f.admin);
    const form = await c.forms.create({ workspaceId: f.ws.id, name: "Spring Launch!" });
    expect(form).toMatchObject({ slug: "spring-launch", doubleOptIn: false, fields: [] });
    expect(form.settings.buttonLabel).toBe("Subscribe");
    expect((await c.forms.list({ workspaceId: f.ws.id })).map((x) => x.id)).toContain(form.id);
    const u = await c.forms.update({
      workspaceId: f.ws.id,
      id: form.id,
      doubleOptIn: true,
      settings: { title: "Join", description: "", buttonLabel: "Go", successMessage: "Yay", redirectUrl: "" },
    });
    expect(u).toMatchObject({ doubleOptIn: true, name: "Spring Launch!", settings: { buttonLabel: "Go" } });
    await expect(c.forms.create({ workspaceId: f.ws.id, name: "Spring launch" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await c.forms.delete({ workspaceId: f.ws.id, id: form.id });
    await expect(c.forms.get({ workspaceId: f.ws.id, id: form.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const logs = await h.db.select().from(activityLogs).where(eq(activityLogs.entityId, form.id));
    expect(logs.map((l) => l.action).sort()).toEqual(["form.created", "form.deleted", "form.updated"]);
  });

  it("validates fields, redirect URLs and unknown custom fields", async () => {
    const c = callerFor(h.db, f.admin);
    await expect(
      c.forms.create({
        workspaceId: f.ws.id,
        name: "x",
        settings: {
          title: "",
          description: "",
          buttonLabel: "",
          successMessage: "",
          redirectUrl: "javascript:alert(1)",
        },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.forms.create({
        workspaceId: f.ws.id,
        name: "x",
        fields: [{ key: "shoe_size", label: "Shoe", required: false }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Unknown field: shoe_size" });
  });

  it("needs admin to write; other workspaces get NOT_FOUND", async () => {
    await expect(
      callerFor(h.db, f.member).forms.create({ workspaceId: f.ws.id, name: "x" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const form = await makeForm();
    expect((await callerFor(h.db, f.viewer).forms.get({ workspaceId: f.ws.id, id: form.id })).id).toBe(
      form.id,
    );
    const outsider = callerFor(h.db, f.otherOwner);
    await expect(outsider.forms.get({ workspaceId: f.other.id, id: form.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      outsider.forms.update({ workspaceId: f.other.id, id: form.id, name: "Stolen" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.forms.delete({ workspaceId: f.other.id, id: form.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("form submission", () => {
  it("creates an active lead with tags, fields and source, and emits events", async () => {
    const form = await makeForm();
    await events.clear();
    const res = await post(form.slug, { email: " New@Example.test ", name: "Nia", employees: "1,200" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${BASE}/f/${f.ws.slug}/${form.slug}?ok=1`);
    const l = await lead("new@example.test");
    expect(l).toMatchObject({
      name: "Nia",
      status: "active",
      tags: ["newsletter"],
      source: `form:${form.slug}`,
      customFields: { employees: 1200 },
    });
    expect((await events.list()).map((e) => e.type)).toEqual(["lead.created", "form.submitted"]);
  });

  it("reports every problem with a clear message (JSON and plain post)", async () => {
    const form = await makeForm();
    const res = await post(form.slug, { email: "nope", employees: "lots" }, { json: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      fieldErrors: {
        email: ["Email has no @"],
        name: ["Your name is required"],
        employees: ["Employees must be a number"],
      },
    });
    const plain = await post(form.slug, { email: "a b@x.test", name: "A" });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toMatch(/\?e=/);
  });

  // Applied only once the emailed link is opened, filling empty fields: form-existing-lead.test.ts.
  it("leaves an existing lead as it is until the emailed link is opened", async () => {
    const form = await makeForm({ tags: ["spring"] });
    await h.db.insert(leads).values({
      workspaceId: f.ws.id,
      email: "old@example.test",
      name: "Old",
      tags: ["customer"],
      source: "import",
      customFields: { company: "Acme" },
    });
    const res = await post(
      form.slug,
      { email: "old@example.test", name: "Olive", employees: "5" },
      { json: true },
    );
    expect(await res.json()).toMatchObject({ ok: true, pending: false });
    expect(await lead("old@example.test")).toMatchObject({
      name: "Old",
      status: "active",
      source: "import",
      tags: ["customer"],
      customFields: { company: "Acme" },
    });
  });

  it("never re-activates an unsubscribed lead", async () => {
    const form = await makeForm();
    await h.db
      .insert(leads)
      .values({ workspaceId: f.ws.id, email: "gone@example.test", status: "unsubscribed" });
    await events.clear();
    const res = await post(form.slug, { email: "gone@example.test", name: "G" }, { json: true });
    expect(res.status).toBe(200);
    expect((await lead("gone@example.test"))?.status).toBe("unsubscribed");
    expect((await events.list()).filter((e) => e.type === "form.submitted")).toEqual([]);
  });

  it("pretends success on a filled honeypot and writes nothing", async () => {
    const form = await makeForm();
    const res = await post(form.slug, {
      email: "bot@example.test",
      name: "Bot",
      website: "http://spam.test",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("?ok=1");
    expect(await lead("bot@example.test")).toBeUndefined();
  });

  it("rate limits per IP and per address with 429 and Retry-After", async () => {
    const form = await makeForm();
    const ip = nextIp();
    for (let i = 0; i < 10; i++) await post(form.slug, { email: `ip${i}@example.test`, name: "x" }, { ip });
    const limited = await post(form.slug, { email: "ip-last@example.test", name: "x" }, { ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await lead("ip-last@example.test")).toBeUndefined();

    for (let i = 0; i < 3; i++) {
      expect((await post(form.slug, { email: "same@example.test", name: "x" }, { json: true })).status).toBe(
        200,
      );
    }
    const byEmail = await post(form.slug, { email: "SAME@example.test", name: "x" }, { json: true });
    expect(byEmail.status).toBe(429);
    expect(byEmail.headers.get("retry-after")).toBeTruthy();
  });

  it("double opt-in: pending, confirmation email, signed link → active once", async () => {
    const form = await makeForm({ doubleOptIn: true });
    await events.clear();
    const res = await post(form.slug, { email: "doi@example.test", name: "D" });
    expect(res.headers.get("location")).toContain("?ok=1&pending=1");
    const l = (await lead("doi@example.test"))!;
    expect(l.status).toBe("pending");
    expect((await events.list()).map((e) => e.type)).toEqual(["lead.created"]);
    const [mail] = await h.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.toAddress, "doi@example.test"));
    expect(mail).toMatchObject({ kind: "double-opt-in", workspaceId: f.ws.id });
    // The readable copy has the link redacted; the message to send is sealed beside it.
    expect(mail!.text).toContain("/f/confirm?[removed]");
    const link = unsealOutboxBody(mail!.sealedBody!).text.match(/https?:\/\/\S+/)![0];
    const params = new URL(link).searchParams;
    expect(params.get("l")).toBe(l.id);

    // Tampered: another lead id under the same signature changes nothing.
    const tampered = new URLSearchParams(params);
    tampered.set("e", String(Number(params.get("e")) + 1));
    expect(await confirmSubscription(h.db, tampered, actor())).toEqual({ status: "invalid" });
    expect((await lead("doi@example.test"))?.status).toBe("pending");

    const r = await confirmSubscription(h.db, params, actor());
    expect(r.status).toBe("confirmed");
    expect((await lead("doi@example.test"))?.status).toBe("active");
    expect((await events.list()).map((e) => e.type)).toEqual(["lead.created", "form.submitted"]);
    expect((await confirmSubscription(h.db, params, actor())).status).toBe("already-confirmed");
    expect(await events.list()).toHaveLength(2);
    const logs = await h.db.select().from(activityLogs).where(eq(activityLogs.entityId, l.id));
    expect(logs.map((x) => x.action)).toContain("lead.confirmed");
  });

  it("refuses an expired link and leaves the lead pending", async () => {
    const form = await makeForm({ doubleOptIn: true });
    await post(form.slug, { email: "late@example.test", name: "L" });
    const l = (await lead("late@example.test"))!;
    const old = new URL(confirmUrl({ leadId: l.id, formId: form.id }, Date.now() - 8 * 86_400_000));
    expect(await confirmSubscription(h.db, old.searchParams, actor())).toEqual({ status: "expired" });
    expect((await lead("late@example.test"))?.status).toBe("pending");
  });

  it("answers 404 for an unknown form and never crosses workspaces", async () => {
    const res = await post("does-not-exist", { email: "x@example.test" }, { json: true });
    expect(res.status).toBe(404);
  });
});

import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  campaignEnrollments,
  customFieldDefinitions,
  emailCampaigns,
  leads,
  outboxMessages,
} from "@/server/db/schema";
import { confirmUrl } from "@/server/services/forms/confirm-link";
import { handleFormPost } from "@/server/services/forms/http";
import { confirmSubscription } from "@/server/services/forms/submit";
import { setupTestDb } from "../helpers/db";
import { leadEventLog } from "../helpers/domain-events";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/**
 * Issue #12 item 12: an anonymous form post with a known address overwrote that lead's name and
 * custom fields and added tags at once (tags can start triggered campaigns). Now an existing lead
 * changes only when the emailed link is opened, and then only its empty fields are filled.
 */
const h = await setupTestDb();
const BASE = "http://localhost:3000";
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const events = leadEventLog(h.db, () => f.ws.id);
let ipSeq = 1;
const actor = () => ({ userId: null, ip: `198.51.100.${ipSeq++}`, userAgent: "vitest" });

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  await h.db.insert(customFieldDefinitions).values([
    { workspaceId: f.ws.id, key: "company", label: "Company", type: "text" },
    { workspaceId: f.ws.id, key: "city", label: "City", type: "text" },
  ]);
});

async function setup(doubleOptIn: boolean, email: string, existing: Partial<typeof leads.$inferInsert> = {}) {
  const form = await callerFor(h.db, f.admin).forms.create({
    workspaceId: f.ws.id,
    name: `Spring ${Math.random().toString(36).slice(2, 8)}`,
    fields: [
      { key: "name", label: "Name", required: false },
      { key: "company", label: "Company", required: false },
      { key: "city", label: "City", required: false },
    ],
    tags: ["spring"],
    doubleOptIn,
  });
  // Triggered campaigns an attacker would like to start for someone else's address.
  const [byTag] = await h.db
    .insert(emailCampaigns)
    .values({
      workspaceId: f.ws.id,
      name: `On spring ${form.slug}`,
      type: "triggered",
      status: "active",
      content: {},
      schedule: { trigger: { event: "tag.added", tag: "spring" } },
    })
    .returning();
  const [byForm] = await h.db
    .insert(emailCampaigns)
    .values({
      workspaceId: f.ws.id,
      name: `On form ${form.slug}`,
      type: "triggered",
      status: "active",
      content: {},
      schedule: { trigger: { event: "form.submitted", formId: form.id } },
    })
    .returning();
  const [lead] = await h.db
    .insert(leads)
    .values({
      workspaceId: f.ws.id,
      email,
      name: "Real Name",
      tags: ["customer"],
      source: "import",
      customFields: { company: "Acme" },
      updatedAt: new Date("2026-01-01T00:00:00Z"),
      ...existing,
    })
    .returning();
  return { form, lead: lead!, campaignIds: [byTag!.id, byForm!.id] };
}

function post(formSlug: string, body: Record<string, string>) {
  return handleFormPost(
    new Request(`${BASE}/api/forms/${f.ws.slug}/${formSlug}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(body),
    }),
    { db: h.db, workspaceSlug: f.ws.slug, formSlug, actor: actor(), baseUrl: BASE },
  );
}

const leadRow = async (id: string) => (await h.db.select().from(leads).where(eq(leads.id, id)))[0]!;
const enrolments = async (leadId: string) =>
  h.db.select().from(campaignEnrollments).where(eq(campaignEnrollments.leadId, leadId));
const mailsTo = async (email: string) =>
  h.db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.workspaceId, f.ws.id), eq(outboxMessages.toAddress, email)));

/** The pending submission's confirmation link, as mailed (built here: the stored mail may be redacted). */
async function pendingLink(leadId: string, formId: string) {
  const rows = await h.db.execute(
    sql`select id from form_submissions where lead_id = ${leadId} and form_id = ${formId}`,
  );
  const [row] = (rows as unknown as { rows: { id: string }[] }).rows;
  expect(row, "a pending submission is stored").toBeDefined();
  return new URL(confirmUrl({ leadId, formId, submissionId: row!.id })).searchParams;
}

describe.each([
  ["without double opt-in", false],
  ["with double opt-in", true],
])("an anonymous post for an existing lead, form %s", (_label, doubleOptIn) => {
  it("changes nothing and starts nothing until confirmed; then fills only empty fields and adds tags", async () => {
    const email = `victim-${doubleOptIn ? "doi" : "plain"}@example.test`;
    const { form, lead, campaignIds } = await setup(doubleOptIn, email);
    await events.clear();

    const res = await post(form.slug, { email, name: "Attacker", company: "Evil Corp", city: "Paris" });
    expect(res.status).toBe(200);
    // The same answer a new address gets: the form must not reveal who is on the list.
    expect(await res.json()).toMatchObject({ ok: true, pending: doubleOptIn });

    const untouched = await leadRow(lead.id);
    expect(untouched).toMatchObject({
      name: "Real Name",
      tags: ["customer"],
      status: "active",
      customFields: { company: "Acme" },
    });
    expect(untouched.updatedAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(await events.list()).toEqual([]);
    await h.queue.drain();
    expect(await enrolments(lead.id)).toEqual([]);
    expect(await mailsTo(email)).toHaveLength(1);

    const params = await pendingLink(lead.id, form.id);
    expect((await confirmSubscription(h.db, params, actor())).status).toBe("confirmed");
    const confirmed = await leadRow(lead.id);
    expect(confirmed).toMatchObject({
      name: "Real Name",
      tags: ["customer", "spring"],
      status: "active",
      source: "import",
      customFields: { company: "Acme", city: "Paris" },
    });
    expect((await events.list()).map((e) => e.type)).toEqual(["tag.added", "form.submitted"]);
    await h.queue.drain();
    expect((await enrolments(lead.id)).map((e) => e.campaignId)).toEqual(expect.arrayContaining(campaignIds));

    // A second open applies nothing again.
    expect((await confirmSubscription(h.db, params, actor())).status).toBe("already-confirmed");
    expect(await events.list()).toHaveLength(2);
  });
});

describe("confirming a pending submission", () => {
  it("fills an empty name and activates a pending lead", async () => {
    const email = "pending-empty@example.test";
    const { form, lead } = await setup(true, email, { name: null, status: "pending", customFields: {} });
    await post(form.slug, { email, name: "Given Later", company: "Co" });
    expect(await leadRow(lead.id)).toMatchObject({ name: null, status: "pending", customFields: {} });
    const params = await pendingLink(lead.id, form.id);
    expect((await confirmSubscription(h.db, params, actor())).status).toBe("confirmed");
    expect(await leadRow(lead.id)).toMatchObject({
      name: "Given Later",
      status: "active",
      customFields: { company: "Co" },
    });
  });

  it("a tampered submission id is refused and applies nothing", async () => {
    const email = "tamper@example.test";
    const { form, lead } = await setup(false, email);
    await post(form.slug, { email, city: "Rome" });
    const params = await pendingLink(lead.id, form.id);
    params.set("p", "00000000-0000-4000-8000-000000000000");
    expect(await confirmSubscription(h.db, params, actor())).toEqual({ status: "invalid" });
    expect((await leadRow(lead.id)).customFields).toEqual({ company: "Acme" });
  });

  it("an unsubscribed lead stores nothing and gets no mail", async () => {
    const email = "unsubscribed@example.test";
    const { form, lead } = await setup(true, email, { status: "unsubscribed" });
    const res = await post(form.slug, { email, name: "Back", city: "Oslo" });
    expect(await res.json()).toMatchObject({ ok: true, pending: true });
    expect(await mailsTo(email)).toEqual([]);
    const rows = await h.db.execute(sql`select id from form_submissions where lead_id = ${lead.id}`);
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([]);
    expect(await leadRow(lead.id)).toMatchObject({ name: "Real Name", status: "unsubscribed" });
  });

  it("a new address is still created at once with the submitted data", async () => {
    const { form } = await setup(false, "someone-else@example.test");
    await events.clear();
    await post(form.slug, { email: "brand-new@example.test", name: "New", city: "Lyon" });
    const [created] = await h.db
      .select()
      .from(leads)
      .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.email, "brand-new@example.test")));
    expect(created).toMatchObject({
      name: "New",
      status: "active",
      tags: ["spring"],
      customFields: { city: "Lyon" },
    });
    expect((await events.list()).map((e) => e.type)).toEqual(["lead.created", "form.submitted"]);
  });
});

import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import {
  activityLogs,
  campaignEnrollments,
  emailSends,
  emailSuppressions,
  leads,
  users,
  workspaces,
} from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { unsubscribeToken } from "@/server/services/email/links";
import { runSender } from "@/server/services/email/sender";
import { enrollLead } from "@/server/services/email/start";
import { suppress } from "@/server/services/email/suppressions";
import { closeTransports } from "@/server/services/email/transport";
import { unsubscribeByToken } from "@/server/services/email/unsubscribe";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { callerFor, createUser, createWorkspace } from "../helpers/fixtures";
import { recordingQueue } from "../helpers/queues";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";
import { call, setupRest } from "./rest-helpers";

/** Issue 19 point 2: the suppression list, kept by hand and by bounces/unsubscribes, and enforced. */
const rest = await setupRest();
const { h, f } = rest;
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const noQueue = recordingQueue();

let sink: SmtpSink;
beforeAll(async () => {
  setQueue(noQueue);
  sink = await startSmtpSink();
});
afterAll(async () => {
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

const SENDER = {
  fromName: "Supp Co",
  fromEmail: "news@supp.example",
  replyTo: "",
  postalAddress: "1 Quiet Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};
const step = { subject: "Hello {{name|there}}", body: "Hi — [read](https://example.com/read)" };

async function newWorkspace(p: { smtp: boolean }) {
  const owner = await createUser(db, { name: "Supp owner" });
  const ws = await createWorkspace(db, owner, { name: "Suppressing" });
  const settings = { sender: SENDER, ...(p.smtp ? { smtp: { url: sink.url } } : {}) };
  await db
    .update(workspaces)
    .set({ settings: sql`${workspaces.settings} || ${JSON.stringify(settings)}::jsonb` })
    .where(eq(workspaces.id, ws.id));
  closeTransports();
  const tag = randomUUID().slice(0, 6);
  return { owner, ws, tag, c: callerFor(db, owner) };
}

async function addLeads(workspaceId: string, emails: string[]) {
  return db
    .insert(leads)
    .values(emails.map((email) => ({ workspaceId, email })))
    .returning();
}

async function campaign(
  owner: SessionUser,
  workspaceId: string,
  type: "one-time" | "sequence" | "triggered",
) {
  return callerFor(db, owner).email.campaigns.create({
    workspaceId,
    type,
    name: `${type} ${randomUUID().slice(0, 6)}`,
    steps: [step],
    ...(type === "triggered" ? { trigger: { event: "lead.created" } } : {}),
  });
}

const sendsOf = async (id: string) => db.select().from(emailSends).where(eq(emailSends.campaignId, id));

describe("suppress()", () => {
  it("normalises the value and is idempotent (returns whether the entry is new)", async () => {
    const g = await newWorkspace({ smtp: false });
    const input = {
      workspaceId: g.ws.id,
      kind: "address" as const,
      value: "  Some.One@Example.TEST ",
      reason: "bounced" as const,
    };
    expect(await suppress(db, input)).toBe(true);
    expect(await suppress(db, { ...input, reason: "complained" })).toBe(false);
    const rows = await db.select().from(emailSuppressions).where(eq(emailSuppressions.workspaceId, g.ws.id));
    expect(rows.map((r) => [r.value, r.reason])).toEqual([["some.one@example.test", "bounced"]]);
    // inside a transaction too
    await db.transaction(async (tx) => {
      expect(await suppress(tx as unknown as Db, { ...input, kind: "domain", value: "Example.test" })).toBe(
        true,
      );
    });
  });
});

describe("audience resolution leaves suppressed addresses and domains out", () => {
  const emails = (tag: string) => ({
    keep: `keep-${tag}@fine.test`,
    address: `gone-${tag}@fine.test`,
    domain: `x-${tag}@blocked-${tag}.test`,
    parent: `y-${tag}@mail.parent-${tag}.test`,
    grandparent: `z-${tag}@eu.mail.grand-${tag}.test`,
  });

  async function prepared() {
    const g = await newWorkspace({ smtp: false });
    const e = emails(g.tag);
    const rows = await addLeads(g.ws.id, Object.values(e));
    await g.c.suppressions.add({ workspaceId: g.ws.id, value: e.address.toUpperCase() });
    await g.c.suppressions.add({
      workspaceId: g.ws.id,
      value: `blocked-${g.tag}.test`,
      note: "whole domain",
    });
    await g.c.suppressions.add({ workspaceId: g.ws.id, value: `@parent-${g.tag}.test` });
    await g.c.suppressions.add({ workspaceId: g.ws.id, value: `grand-${g.tag}.test` });
    return { ...g, e, rows };
  }

  it("one-time: the preview count and the ledger hold only the unsuppressed lead", async () => {
    const g = await prepared();
    const preview = await g.c.email.campaigns.audienceSize({
      workspaceId: g.ws.id,
      audience: { criteria: { match: "all", conditions: [] } },
    });
    expect(preview.count).toBe(1);
    const one = await campaign(g.owner, g.ws.id, "one-time");
    expect((await g.c.email.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id })).queued).toBe(1);
    expect((await sendsOf(one.id)).map((s) => s.toAddress)).toEqual([g.e.keep]);
  });

  it("sequence enrolment and triggered enrolment skip them too", async () => {
    const g = await prepared();
    const seq = await campaign(g.owner, g.ws.id, "sequence");
    await g.c.email.campaigns.activate({ workspaceId: g.ws.id, id: seq.id });
    const enrolled = await db
      .select({ email: leads.email })
      .from(campaignEnrollments)
      .innerJoin(leads, eq(leads.id, campaignEnrollments.leadId))
      .where(eq(campaignEnrollments.campaignId, seq.id));
    expect(enrolled.map((r) => r.email)).toEqual([g.e.keep]);
    expect((await sendsOf(seq.id)).map((s) => s.toAddress)).toEqual([g.e.keep]);

    const trig = await campaign(g.owner, g.ws.id, "triggered");
    await g.c.email.campaigns.activate({ workspaceId: g.ws.id, id: trig.id });
    for (const lead of g.rows) {
      const ok = await enrollLead(db, { workspaceId: g.ws.id, campaignId: trig.id, leadId: lead.id });
      expect([lead.email, ok]).toEqual([lead.email, lead.email === g.e.keep]);
    }
    expect((await sendsOf(trig.id)).map((s) => s.toAddress)).toEqual([g.e.keep]);
  });
});

describe("send time", () => {
  it("a ledger row whose address is suppressed after resolution ends 'suppressed' and never reaches the SMTP server", async () => {
    const g = await newWorkspace({ smtp: true });
    await verifySenderDomainThroughDns(db, dns, g.ws.id, "supp.example");
    const late = `late-${g.tag}@fine.test`;
    const lateDomain = `z-${g.tag}@later-${g.tag}.test`;
    const keep = `stay-${g.tag}@fine.test`;
    await addLeads(g.ws.id, [late, lateDomain, keep]);
    const one = await campaign(g.owner, g.ws.id, "one-time");
    expect((await g.c.email.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id })).queued).toBe(3);
    await suppress(db, { workspaceId: g.ws.id, kind: "address", value: late, reason: "complained" });
    await suppress(db, {
      workspaceId: g.ws.id,
      kind: "domain",
      value: `later-${g.tag}.test`,
      reason: "manual",
    });
    const before = sink.received.length;
    const run = await runSender(db, { workspaceId: g.ws.id, deadline: Date.now() + 10_000 });
    expect(run).toMatchObject({ sent: 1, suppressed: 2 });
    const got = sink.received.slice(before).flatMap((m) => m.to);
    expect(got).toEqual([keep]);
    const rows = await sendsOf(one.id);
    const byAddress = Object.fromEntries(rows.map((r) => [r.toAddress, [r.status, r.error]]));
    expect(byAddress[late]).toEqual([
      "suppressed",
      `Not sent: ${late} is on the suppression list (complained)`,
    ]);
    expect(byAddress[lateDomain]).toEqual([
      "suppressed",
      `Not sent: ${lateDomain} is on the suppression list (manual)`,
    ]);
    expect(byAddress[keep]?.[0]).toBe("sent");
  });

  it("a test send to a suppressed address is refused with the reason", async () => {
    const g = await newWorkspace({ smtp: false });
    await db.update(users).set({ emailVerified: true }).where(eq(users.id, g.owner.id));
    await suppress(db, { workspaceId: g.ws.id, kind: "address", value: g.owner.email, reason: "bounced" });
    await expect(
      g.c.email.campaigns.sendTest({ workspaceId: g.ws.id, to: g.owner.email, step }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("is on the suppression list (bounced)"),
    });
  });
});

describe("unsubscribes add the address", () => {
  it("the unsubscribe link and marking a lead unsubscribed both list it with reason 'unsubscribed'", async () => {
    const g = await newWorkspace({ smtp: false });
    const [a, b] = await addLeads(g.ws.id, [`u1-${g.tag}@fine.test`, `u2-${g.tag}@fine.test`]);
    const one = await campaign(g.owner, g.ws.id, "one-time");
    await g.c.email.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id });
    const send = (await sendsOf(one.id)).find((s) => s.leadId === a!.id)!;
    const ok = await unsubscribeByToken(db, unsubscribeToken(send.id), {
      ip: null,
      userAgent: null,
      via: "one-click",
    });
    expect(ok).toBe(true);
    await g.c.leads.update({ workspaceId: g.ws.id, id: b!.id, status: "unsubscribed" });
    const list = await g.c.suppressions.list({ workspaceId: g.ws.id });
    expect(list.items.map((r) => [r.value, r.reason, r.leadId]).sort()).toEqual(
      [
        [a!.email, "unsubscribed", a!.id],
        [b!.email, "unsubscribed", b!.id],
      ].sort(),
    );
    expect(list.items.find((r) => r.value === a!.email)?.campaignName).toBe(one.name);
  });
});

describe("CSV import and export", () => {
  it("counts added / already / invalid (formula cells included), lists the invalid rows, and round-trips", async () => {
    const g = await newWorkspace({ smtp: false });
    await g.c.suppressions.add({ workspaceId: g.ws.id, value: `old-${g.tag}@fine.test` });
    const csv = [
      "email,reason,note",
      `new-${g.tag}@fine.test,bounced,from the old tool`,
      `OLD-${g.tag}@fine.test,,`,
      `whole-${g.tag}.test,,"=HYPERLINK(""http://evil.test"")"`,
      `new-${g.tag}@fine.test,,`,
      "not an address,,",
      '"=HYPERLINK(""http://evil.test"",""x"")",,',
      "@,,",
    ].join("\n");
    const r = await g.c.suppressions.import({ workspaceId: g.ws.id, csv, fileName: "old.csv" });
    expect(r).toMatchObject({ added: 2, already: 2, invalid: 3 });
    expect(r.invalidRows.map((x) => x.line)).toEqual([6, 7, 8]);
    expect(r.invalidRows[1]!.value).toContain("=HYPERLINK");
    const list = await g.c.suppressions.list({ workspaceId: g.ws.id, reason: "bounced" });
    expect(list.items.map((x) => x.value)).toEqual([`new-${g.tag}@fine.test`]);
    const domains = await g.c.suppressions.list({ workspaceId: g.ws.id, kind: "domain" });
    expect(domains.items.map((x) => [x.value, x.reason])).toEqual([[`whole-${g.tag}.test`, "imported"]]);

    const out = await g.c.suppressions.export({ workspaceId: g.ws.id });
    expect(out.rows).toBe(3);
    expect(out.csv.split("\n")[0]).toBe("value,kind,reason,note,campaign,created_at");
    // the formula in the note is neutralised
    expect(out.csv).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(out.csv).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const h2 = await newWorkspace({ smtp: false });
    const again = await h2.c.suppressions.import({ workspaceId: h2.ws.id, csv: out.csv });
    expect(again).toMatchObject({ added: 3, already: 0, invalid: 0 });
    const copied = await h2.c.suppressions.list({ workspaceId: h2.ws.id });
    expect(copied.items.map((x) => [x.value, x.kind, x.reason]).sort()).toEqual(
      (await g.c.suppressions.list({ workspaceId: g.ws.id })).items
        .map((x) => [x.value, x.kind, x.reason])
        .sort(),
    );
    const acts = await db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, g.ws.id), sql`${activityLogs.action} like 'suppression.%'`));
    expect(acts.map((a) => a.action).sort()).toEqual([
      "suppression.added",
      "suppression.exported",
      "suppression.imported",
    ]);
  });

  it("refuses a file that is too large, empty or unreadable with a clear 400, changing nothing", async () => {
    const g = await newWorkspace({ smtp: false });
    const input = { workspaceId: g.ws.id };
    await expect(g.c.suppressions.import({ ...input, csv: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The file is empty",
    });
    await expect(
      g.c.suppressions.import({ ...input, csv: "a@b.test\n".repeat(600_000) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("larger than 5 MB") });
    await expect(g.c.suppressions.import({ ...input, csv: '"a@b.test,\nx' })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("not a readable CSV"),
    });
    expect((await g.c.suppressions.count(input)).total).toBe(0);
  });
});

describe("adding by hand, removing, roles and other workspaces", () => {
  it("validates what was typed with clear 400s and refuses a duplicate with 409", async () => {
    const c = callerFor(db, f.member).suppressions;
    const ws = { workspaceId: f.ws.id };
    for (const value of ["", "not an address", "a@b", "http://example.com/x", "localhost"]) {
      await expect(c.add({ ...ws, value })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(c.add({ ...ws, value: "nope" })).rejects.toMatchObject({
      message: "Not an email address or a domain (like someone@example.com or example.com)",
    });
    const added = await c.add({ ...ws, value: "Member.Added@Example.test", note: "asked by phone" });
    expect(added).toMatchObject({ kind: "address", value: "member.added@example.test", reason: "manual" });
    await expect(c.add({ ...ws, value: "member.added@example.test" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "member.added@example.test is already on the suppression list",
    });
    // a member cannot remove; an admin can (and it is recorded)
    await expect(c.remove({ ...ws, id: added.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await callerFor(db, f.admin).suppressions.remove({ ...ws, id: added.id });
    await expect(callerFor(db, f.admin).suppressions.remove({ ...ws, id: added.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const acts = await db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.entityId, added.id)));
    expect(acts.map((a) => a.action).sort()).toEqual(["suppression.added", "suppression.removed"]);
  });

  it("a viewer reads but cannot add or import; another workspace can neither see nor remove A's entries", async () => {
    const ws = { workspaceId: f.ws.id };
    const entry = await callerFor(db, f.owner).suppressions.add({ ...ws, value: "owners-entry.test" });
    const viewer = callerFor(db, f.viewer).suppressions;
    expect((await viewer.list(ws)).items.map((r) => r.id)).toContain(entry.id);
    await expect(viewer.add({ ...ws, value: "v@example.test" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.import({ ...ws, csv: "v@example.test" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const other = callerFor(db, f.otherOwner).suppressions;
    await expect(other.list(ws)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const own = { workspaceId: f.other.id };
    expect((await other.list(own)).items).toEqual([]);
    await expect(other.remove({ ...own, id: entry.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await viewer.list(ws)).items.map((r) => r.id)).toContain(entry.id);
  });

  it("removing an entry does not reactivate a bounced lead", async () => {
    const g = await newWorkspace({ smtp: false });
    const [lead] = await db
      .insert(leads)
      .values({ workspaceId: g.ws.id, email: `b-${g.tag}@fine.test`, status: "bounced" })
      .returning();
    await suppress(db, {
      workspaceId: g.ws.id,
      kind: "address",
      value: lead!.email,
      reason: "bounced",
      leadId: lead!.id,
    });
    const [entry] = (await g.c.suppressions.list({ workspaceId: g.ws.id })).items;
    await g.c.suppressions.remove({ workspaceId: g.ws.id, id: entry!.id });
    const [after] = await db.select({ status: leads.status }).from(leads).where(eq(leads.id, lead!.id));
    expect(after!.status).toBe("bounced");
  });

  it("pages with a keyset cursor and searches", async () => {
    const g = await newWorkspace({ smtp: false });
    const csv = Array.from({ length: 7 }, (_, i) => `p${i}-${g.tag}@page.test`).join("\n");
    await g.c.suppressions.import({ workspaceId: g.ws.id, csv });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await g.c.suppressions.list({ workspaceId: g.ws.id, limit: 3, cursor });
      seen.push(...page.items.map((r) => r.value));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toHaveLength(7);
    const found = await g.c.suppressions.list({ workspaceId: g.ws.id, search: `P3-${g.tag}` });
    expect(found.items.map((r) => r.value)).toEqual([`p3-${g.tag}@page.test`]);
    await expect(g.c.suppressions.list({ workspaceId: g.ws.id, cursor: "bogus" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("REST /api/v1/suppressions", () => {
  it("lists, adds (409 for a duplicate, 400 for a bad value) and removes, each within the key's workspace", async () => {
    const { keyA, keyB } = rest;
    const added = await call("POST", "/suppressions", {
      key: keyA,
      body: { value: "REST-Added@Example.test" },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ value: "rest-added@example.test", kind: "address", reason: "manual" });
    expect(
      (await call("POST", "/suppressions", { key: keyA, body: { value: "rest-added@example.test" } })).status,
    ).toBe(409);
    const bad = await call("POST", "/suppressions", { key: keyA, body: { value: "nope" } });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("Not an email address or a domain");
    const listed = await call("GET", "/suppressions?search=rest-added", { key: keyA });
    expect(listed.body.data.map((r: { id: string }) => r.id)).toEqual([added.body.id]);
    expect((await call("GET", "/suppressions?search=rest-added", { key: keyB })).body.data).toEqual([]);
    expect((await call("DELETE", `/suppressions/${added.body.id}`, { key: keyB })).status).toBe(404);
    expect((await call("DELETE", `/suppressions/${added.body.id}`, { key: keyA })).status).toBe(204);
    expect((await call("GET", "/suppressions?search=rest-added", { key: keyA })).body.data).toEqual([]);
  });
});

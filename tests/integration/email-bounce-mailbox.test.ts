import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import {
  activityLogs,
  campaignEnrollments,
  campaignSteps,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
  workspaces,
} from "@/server/db/schema";
import { isPrivateAddress, setGuardStandInsForTests } from "@/server/http/guarded-fetch";
import { bounceMailboxPollJob } from "@/server/queue/jobs/bounce-mailbox";
import { workspacesWithBounceMailbox } from "@/server/services/email/bounce-mailbox";
import { closeTransports, getTransport } from "@/server/services/email/transport";
import { sendIdFromVerp, verpAddress } from "@/server/services/email/verp";
import { dovecotAvailable, type ImapServer, startImapServer } from "../fixtures/imap-server";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { runJobNow } from "../helpers/jobs";

/*
 * Issue 19, point 1: the VERP return path (proved on a real SMTP sink: MAIL FROM is the send's VERP
 * address) and the bounce mailbox read over IMAP from a real Dovecot started here, holding a hard
 * DSN (5.1.1), a soft one (4.2.2), an ARF complaint, a reply, an unrelated message and a bounce of
 * another workspace's send.
 */
vi.stubEnv("SMTP_ALLOW_PRIVATE", "false");
resetEnvCache();

const h = await setupTestDb();
const db = h.db;
const f = await twoWorkspaces(db);
const RETURN_PATH = "bounces@brand.test";
const MAIL_DIR = path.join(import.meta.dirname, "../fixtures/mail");

async function sequenceIn(workspaceId: string, goals: { stopOnReply?: boolean } = {}) {
  const [c] = await db
    .insert(emailCampaigns)
    .values({ workspaceId, name: "Welcome", type: "sequence", status: "active", content: {}, goals })
    .returning();
  const steps = await db
    .insert(campaignSteps)
    .values(
      [1, 2].map((position) => ({ workspaceId, campaignId: c!.id, position, subject: `Step ${position}` })),
    )
    .returning();
  return { id: c!.id, step1: steps[0]!.id, step2: steps[1]!.id };
}

/** A lead enrolled in the sequence: step 1 sent (with our Message-ID), step 2 pending. */
async function enrolled(workspaceId: string, c: Awaited<ReturnType<typeof sequenceIn>>) {
  const email = `${randomUUID().slice(0, 8)}@example.test`;
  const [lead] = await db.insert(leads).values({ workspaceId, email }).returning();
  await db.insert(campaignEnrollments).values({ workspaceId, campaignId: c.id, leadId: lead!.id });
  const id = randomUUID();
  await db.insert(emailSends).values([
    {
      id,
      workspaceId,
      campaignId: c.id,
      stepId: c.step1,
      leadId: lead!.id,
      toAddress: email,
      status: "sent",
      sentAt: new Date(),
      messageId: `<${id}@brand.test>`,
    },
    { workspaceId, campaignId: c.id, stepId: c.step2, leadId: lead!.id, toAddress: email },
  ]);
  return { leadId: lead!.id, email, sendId: id, messageId: `<${id}@brand.test>` };
}

function sample(name: string, p: { verp?: string; to: string; messageId: string }) {
  return fs
    .readFileSync(path.join(MAIL_DIR, name), "utf8")
    .replaceAll("{{VERP}}", p.verp ?? RETURN_PATH)
    .replaceAll("{{TO}}", p.to)
    .replaceAll("{{MESSAGE_ID}}", p.messageId)
    .replace(/\r?\n/g, "\r\n");
}

const publicLoopback = () =>
  setGuardStandInsForTests({ isBlocked: (a) => a !== "127.0.0.1" && isPrivateAddress(a) });
afterEach(() => setGuardStandInsForTests(null));
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("VERP return path", () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    vi.stubEnv("SMTP_URL", `smtp://127.0.0.1:${sink.port}?ignoreTLS=true`);
    resetEnvCache();
  });
  afterAll(async () => {
    closeTransports();
    await sink.close();
  });

  const message = (sendId: string) => ({
    from: { name: "Brand", address: "news@brand.test" },
    to: "ada@example.test",
    subject: "Hello",
    html: "<p>Hi</p>",
    text: "Hi",
    headers: { "Message-ID": `<${sendId}@brand.test>` },
  });

  it("sends MAIL FROM bounces+<token>@domain once a bounce address is set, and the From before", async () => {
    const sendId = randomUUID();
    await getTransport(db, f.ws.id).send(message(sendId));
    expect(sink.received.at(-1)!.from).toBe("news@brand.test");

    await callerFor(db, f.owner).bounces.updateSettings({ workspaceId: f.ws.id, returnPath: RETURN_PATH });
    await getTransport(db, f.ws.id).send(message(sendId));
    const got = sink.received.at(-1)!;
    expect(got.from).toBe(verpAddress(sendId, RETURN_PATH));
    expect(got.from).toMatch(/^bounces\+[a-z2-7]{34}@brand\.test$/);
    expect(sendIdFromVerp(got.from)).toBe(sendId);
    // The visible From is unchanged.
    expect(got.raw.toString()).toMatch(/^From: .*news@brand\.test/m);
  });

  it("refuses a bounce address with + (the token goes there) and a malformed one, changing nothing", async () => {
    const owner = callerFor(db, f.owner);
    await expect(
      owner.bounces.updateSettings({ workspaceId: f.ws.id, returnPath: "bounces+x@brand.test" }),
    ).rejects.toThrow(/must not contain \+/);
    await expect(owner.bounces.updateSettings({ workspaceId: f.ws.id, returnPath: "nope" })).rejects.toThrow(
      /valid bounce address/,
    );
    expect((await owner.bounces.settings({ workspaceId: f.ws.id })).returnPath).toBe(RETURN_PATH);
  });
});

describe.skipIf(!dovecotAvailable())("bounce mailbox over IMAP (real Dovecot)", () => {
  let imap: ImapServer;
  let seqA: Awaited<ReturnType<typeof sequenceIn>>;
  let hard: Awaited<ReturnType<typeof enrolled>>;
  let soft: Awaited<ReturnType<typeof enrolled>>;
  let complainer: Awaited<ReturnType<typeof enrolled>>;
  let replier: Awaited<ReturnType<typeof enrolled>>;
  let otherWs: Awaited<ReturnType<typeof enrolled>>;
  const owner = () => callerFor(db, f.owner);
  const mailbox = () => ({
    enabled: true,
    host: "127.0.0.1",
    port: imap.port,
    security: "none" as const,
    username: imap.user,
    password: imap.password,
    folder: "INBOX",
  });

  beforeAll(async () => {
    imap = await startImapServer();
    seqA = await sequenceIn(f.ws.id, { stopOnReply: true });
    const seqB = await sequenceIn(f.other.id);
    [hard, soft, complainer, replier] = [
      await enrolled(f.ws.id, seqA),
      await enrolled(f.ws.id, seqA),
      await enrolled(f.ws.id, seqA),
      await enrolled(f.ws.id, seqA),
    ];
    otherWs = await enrolled(f.other.id, seqB);
    await imap.deliver(
      sample("dsn-hard-5.1.1.eml", {
        verp: verpAddress(hard.sendId, RETURN_PATH)!,
        to: hard.email,
        messageId: hard.messageId,
      }),
    );
    await imap.deliver(sample("dsn-soft-4.2.2.eml", { to: soft.email, messageId: soft.messageId }));
    await imap.deliver(
      sample("arf-complaint.eml", {
        verp: verpAddress(complainer.sendId, RETURN_PATH)!,
        to: complainer.email,
        messageId: `<not-ours-${randomUUID()}@elsewhere.test>`,
      }),
    );
    await imap.deliver(sample("reply.eml", { to: replier.email, messageId: replier.messageId }));
    await imap.deliver(sample("unrelated.eml", { to: "x@example.test", messageId: "<u@other.test>" }));
    // A bounce of workspace B's send arriving in A's mailbox (by VERP and by Message-ID alike).
    await imap.deliver(
      sample("dsn-hard-5.1.1.eml", {
        verp: verpAddress(otherWs.sendId, RETURN_PATH)!,
        to: otherWs.email,
        messageId: otherWs.messageId,
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await imap?.stop();
  });

  it("Test connection: a wrong password gets a clear answer, the right one opens the folder", async () => {
    publicLoopback();
    const wrong = await owner().bounces.testMailbox({
      workspaceId: f.ws.id,
      mailbox: { ...mailbox(), password: "wrong-password" },
    });
    expect(wrong).toMatchObject({ ok: false, messages: null });
    expect(wrong.message).toBe(
      `Authentication failed: 127.0.0.1:${imap.port} refused the username or password.`,
    );
    const right = await owner().bounces.testMailbox({ workspaceId: f.ws.id, mailbox: mailbox() });
    expect(right).toMatchObject({ ok: true, messages: 6 });
    expect(right.message).toContain('opened "INBOX" (6 messages)');
  });

  it("refuses a loopback host through the SSRF guard unless SMTP_ALLOW_PRIVATE is on", async () => {
    const r = await owner().bounces.testMailbox({ workspaceId: f.ws.id, mailbox: mailbox() });
    expect(r.ok).toBe(false);
    expect(r.message).toContain("SMTP_ALLOW_PRIVATE=true");
    vi.stubEnv("SMTP_ALLOW_PRIVATE", "true");
    resetEnvCache();
    try {
      expect((await owner().bounces.testMailbox({ workspaceId: f.ws.id, mailbox: mailbox() })).ok).toBe(true);
    } finally {
      vi.stubEnv("SMTP_ALLOW_PRIVATE", "false");
      resetEnvCache();
    }
  });

  it("saves the mailbox with the password sealed, never shown", async () => {
    const view = await owner().bounces.updateSettings({
      workspaceId: f.ws.id,
      returnPath: RETURN_PATH,
      mailbox: mailbox(),
    });
    expect(view.mailbox).toMatchObject({ host: "127.0.0.1", passwordSet: true, enabled: true });
    expect(JSON.stringify(view)).not.toContain(imap.password);
    const [row] = await db
      .select({ s: workspaces.settings })
      .from(workspaces)
      .where(eq(workspaces.id, f.ws.id));
    expect(JSON.stringify(row!.s)).not.toContain(imap.password);
    expect(await workspacesWithBounceMailbox(db)).toContain(f.ws.id);
    expect(await workspacesWithBounceMailbox(db)).not.toContain(f.other.id);
    // A viewer reads, but cannot change it.
    await expect(
      callerFor(db, f.viewer).bounces.updateSettings({ workspaceId: f.ws.id, returnPath: "" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("Check now applies DSNs, the ARF complaint and the reply; leaves the rest alone", async () => {
    publicLoopback();
    const r = await owner().bounces.checkNow({ workspaceId: f.ws.id });
    expect(r.summary).toEqual({ read: 6, bounces: 2, complaints: 1, replies: 1, ignored: 2 });
    expect(r.message).toContain("Read 6 new messages");

    const lead = async (id: string) => (await db.select().from(leads).where(eq(leads.id, id)))[0]!;
    const events = async (leadId: string) =>
      db
        .select()
        .from(emailEvents)
        .where(and(eq(emailEvents.workspaceId, f.ws.id), eq(emailEvents.leadId, leadId)));

    // Hard 5.1.1: the send bounced, the lead bounced.
    expect((await lead(hard.leadId)).status).toBe("bounced");
    const [hardEvent] = await events(hard.leadId);
    expect(hardEvent).toMatchObject({ type: "bounce", bounceType: "hard", source: "imap" });
    expect(hardEvent!.providerEventId).toBe("<20261123101503.8A3B21F0C4@mx.receiver.example>");
    expect(hardEvent!.detail).toContain("5.1.1");
    // Soft 4.2.2 (matched by the returned Message-ID): an event, the lead still active.
    expect((await lead(soft.leadId)).status).toBe("active");
    expect(await events(soft.leadId)).toMatchObject([{ type: "bounce", bounceType: "soft", source: "imap" }]);
    // ARF abuse: complained.
    expect((await lead(complainer.leadId)).status).toBe("complained");
    expect(await events(complainer.leadId)).toMatchObject([{ type: "complaint", source: "imap" }]);
    // The reply: a reply event, and the sequence (stopOnReply) stops for that lead.
    expect(await events(replier.leadId)).toMatchObject([{ type: "reply", source: "imap" }]);
    const [enrolment] = await db
      .select()
      .from(campaignEnrollments)
      .where(
        and(eq(campaignEnrollments.campaignId, seqA.id), eq(campaignEnrollments.leadId, replier.leadId)),
      );
    expect(enrolment).toMatchObject({ status: "exited", exitReason: "replied" });
    const pending = await db
      .select()
      .from(emailSends)
      .where(and(eq(emailSends.leadId, replier.leadId), eq(emailSends.stepId, seqA.step2)));
    expect(pending[0]).toMatchObject({
      status: "suppressed",
      error: "Not sent: the lead replied (the campaign's goal)",
    });
    // Workspace B's send is not A's to judge: nothing changed there.
    expect((await lead(otherWs.leadId)).status).toBe("active");
    expect(await db.select().from(emailEvents).where(eq(emailEvents.workspaceId, f.other.id))).toEqual([]);
    const logs = await db
      .select()
      .from(activityLogs)
      .where(
        and(
          eq(activityLogs.workspaceId, f.ws.id),
          eq(activityLogs.action, "workspace.bounce_mailbox_checked"),
        ),
      );
    expect(logs).toHaveLength(1);
    const view = await owner().bounces.settings({ workspaceId: f.ws.id });
    expect(view.state).toMatchObject({ lastError: null, lastResult: r.summary });
  });

  it("a re-poll reads only new mail, and re-reading the folder applies nothing twice", async () => {
    publicLoopback();
    expect(await runJobNow(db, bounceMailboxPollJob, { workspaceId: f.ws.id })).toEqual({
      read: 0,
      bounces: 0,
      complaints: 0,
      replies: 0,
      ignored: 0,
    });
    // Forget where the poll got to: every message is read again, none applied again.
    const [row] = await db
      .select({ s: workspaces.settings })
      .from(workspaces)
      .where(eq(workspaces.id, f.ws.id));
    const { bounceMailboxState: _drop, ...rest } = row!.s as Record<string, unknown>;
    await db.update(workspaces).set({ settings: rest }).where(eq(workspaces.id, f.ws.id));
    const before = await db.select().from(emailEvents).where(eq(emailEvents.workspaceId, f.ws.id));
    expect(await runJobNow(db, bounceMailboxPollJob, { workspaceId: f.ws.id })).toEqual({
      read: 6,
      bounces: 0,
      complaints: 0,
      replies: 0,
      ignored: 6,
    });
    expect(await db.select().from(emailEvents).where(eq(emailEvents.workspaceId, f.ws.id))).toHaveLength(
      before.length,
    );
  });

  it("a recreated folder (new UIDVALIDITY) is read from its first message again", async () => {
    publicLoopback();
    // Another folder (a new cursor); Dovecot does not delete INBOX.
    const folder = "Bounces";
    await imap.recreate(folder);
    await owner().bounces.updateSettings({
      workspaceId: f.ws.id,
      returnPath: RETURN_PATH,
      mailbox: { ...mailbox(), folder },
    });
    const late = await enrolled(f.ws.id, seqA);
    const dsn = sample("dsn-hard-5.1.1.eml", {
      verp: verpAddress(late.sendId, RETURN_PATH)!,
      to: late.email,
      messageId: late.messageId,
    }).replace("<20261123101503.8A3B21F0C4@mx.receiver.example>", "<late-dsn@mx.receiver.example>");
    await imap.deliver(dsn, folder);
    expect(await runJobNow(db, bounceMailboxPollJob, { workspaceId: f.ws.id })).toMatchObject({
      read: 1,
      bounces: 1,
    });
    // The folder is deleted and made again: its UIDs start over at 1, below the last one seen.
    await imap.recreate(folder);
    const later = await enrolled(f.ws.id, seqA);
    await imap.deliver(
      sample("dsn-hard-5.1.1.eml", {
        verp: verpAddress(later.sendId, RETURN_PATH)!,
        to: later.email,
        messageId: later.messageId,
      }).replace("<20261123101503.8A3B21F0C4@mx.receiver.example>", "<later-dsn@mx.receiver.example>"),
      folder,
    );
    expect(await runJobNow(db, bounceMailboxPollJob, { workspaceId: f.ws.id })).toMatchObject({
      read: 1,
      bounces: 1,
    });
    expect((await db.select().from(leads).where(eq(leads.id, later.leadId)))[0]!.status).toBe("bounced");
  });

  it("a mailbox that refuses the login is reported on the card (the job does not throw)", async () => {
    publicLoopback();
    await owner().bounces.updateSettings({
      workspaceId: f.ws.id,
      returnPath: RETURN_PATH,
      mailbox: { ...mailbox(), password: "changed-elsewhere" },
    });
    expect(await runJobNow(db, bounceMailboxPollJob, { workspaceId: f.ws.id })).toEqual({
      error: `Authentication failed: 127.0.0.1:${imap.port} refused the username or password.`,
    });
    const view = await owner().bounces.settings({ workspaceId: f.ws.id });
    expect(view.state?.lastError).toContain("Authentication failed");
  });
});

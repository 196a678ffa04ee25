import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetMailer } from "@/lib/mailer";
import { openApiDocument } from "@/server/api/rest/openapi";
import { restRoutes } from "@/server/api/rest/registry";
import { outboxMessages } from "@/server/db/schema";
import { cleanupJob } from "@/server/queue/jobs/cleanup";
import { unsubscribeToken } from "@/server/services/email/links";
import { renderCampaignEmail } from "@/server/services/email/render";
import { getTransport } from "@/server/services/email/transport";
import { handleFormPost } from "@/server/services/forms/http";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { runJobNow } from "../helpers/jobs";

/**
 * Issue 12, item 1: the outbox is for admins, keeps no secret link readable, and forgets messages
 * after OUTBOX_RETENTION_DAYS.
 */

const h = await setupTestDb();
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
const BASE = "http://localhost:3000";
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let sink: SmtpSink;

beforeAll(async () => {
  appDb.organicDb = Promise.resolve(h);
  f = await twoWorkspaces(h.db);
  sink = await startSmtpSink();
});
afterAll(async () => {
  appDb.organicDb = undefined;
  await sink.close();
});
afterEach(() => {
  delete process.env.SMTP_URL;
  delete process.env.OUTBOX_RETENTION_DAYS;
  resetEnvCache();
  resetMailer();
});

/** Every place a row could show a secret: the stored row, and what list/get return to an admin. */
async function everythingStoredAndShown(id: string, workspaceId: string, reader = f.owner) {
  const [row] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
  const admin = callerFor(h.db, reader).email.outbox;
  const listed = await admin.list({ workspaceId });
  const got = await admin.get({ workspaceId, id });
  return JSON.stringify([row, listed, got]);
}

async function outboxRow(where: ReturnType<typeof eq>) {
  const [row] = await h.db.select().from(outboxMessages).where(where);
  expect(row).toBeTruthy();
  return row!;
}

describe("who may read the outbox", () => {
  it("owners and admins; members and viewers are refused", async () => {
    for (const user of [f.owner, f.admin]) {
      await expect(callerFor(h.db, user).email.outbox.list({ workspaceId: f.ws.id })).resolves.toBeTruthy();
    }
    for (const user of [f.member, f.viewer]) {
      await expect(callerFor(h.db, user).email.outbox.list({ workspaceId: f.ws.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(
        callerFor(h.db, user).email.outbox.get({ workspaceId: f.ws.id, id: randomUUID() }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });
});

describe("no secret link is stored readable", () => {
  it("invitation: the row says the link was removed; the job still mails the real link, then forgets it", async () => {
    process.env.SMTP_URL = sink.url;
    resetEnvCache();
    resetMailer();
    const email = `invitee-${randomUUID().slice(0, 6)}@example.test`;
    const { url } = await callerFor(h.db, f.owner).workspace.invitations.create({
      workspaceId: f.ws.id,
      email,
      role: "admin",
    });
    const token = new URL(url).pathname.split("/").pop()!;
    const before = await outboxRow(eq(outboxMessages.toAddress, email));
    expect(before.text).toContain("/invitations/[removed]");
    expect(before.text).not.toContain(token);
    expect(before.sealedBody).toBeTruthy();

    await h.queue.drain();
    const [mail] = sink.for(email);
    expect((await sink.parse(mail!)).text).toContain(url);
    const after = await outboxRow(eq(outboxMessages.toAddress, email));
    expect(after).toMatchObject({ status: "sent", sealedBody: null });
    expect(await everythingStoredAndShown(after.id, f.ws.id)).not.toContain(token);
  });

  it("double opt-in confirmation: no signature in the stored copy", async () => {
    const form = await callerFor(h.db, f.admin).forms.create({
      workspaceId: f.ws.id,
      name: `DOI ${randomUUID().slice(0, 6)}`,
      doubleOptIn: true,
    });
    const email = `doi-${randomUUID().slice(0, 6)}@example.test`;
    await handleFormPost(
      new Request(`${BASE}/api/forms/${f.ws.slug}/${form.slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email }),
      }),
      {
        db: h.db,
        workspaceSlug: f.ws.slug,
        formSlug: form.slug,
        actor: { userId: null, ip: "198.51.100.90", userAgent: "vitest" },
        baseUrl: BASE,
      },
    );
    await h.queue.drain();
    const row = await outboxRow(eq(outboxMessages.toAddress, email));
    expect(row.kind).toBe("double-opt-in");
    expect(row.text).toContain("/f/confirm?[removed]");
    const shown = await everythingStoredAndShown(row.id, f.ws.id);
    expect(shown).not.toMatch(/[?&]s=[\w-]{20,}/);
    expect(shown).not.toMatch(/\/f\/confirm\?(?!\[removed\])/);
  });

  it("campaign copies: unsubscribe, List-Unsubscribe and tracking tokens are replaced", async () => {
    const sendId = randomUUID();
    const to = `lead-${randomUUID().slice(0, 6)}@example.test`;
    const msg = renderCampaignEmail({
      workspace: { id: f.other.id, name: "Other", slug: f.other.slug },
      sender: {
        fromName: "Other Team",
        fromEmail: "news@other.example",
        replyTo: "",
        postalAddress: "1 Main St, Springfield",
        sendRatePerSecond: 0,
      },
      step: { subject: "Hello", body: "Hi — [read this](https://example.com/read)" },
      lead: { id: randomUUID(), email: to, name: "Ada" },
      sendId,
      baseUrl: BASE,
    });
    const tokens = [
      unsubscribeToken(sendId),
      ...[...msg.html.matchAll(/\/api\/track\/(?:open|click)\/([\w.-]+)/g)].map((m) => m[1]!),
    ];
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    const transport = getTransport(h.db, f.other.id);
    expect(await transport.kind()).toBe("outbox");
    await transport.send({
      from: { name: "Other Team", address: "news@other.example" },
      to,
      subject: msg.subject,
      html: msg.html,
      text: msg.text,
      headers: msg.headers,
    });
    const row = await outboxRow(and(eq(outboxMessages.toAddress, to), eq(outboxMessages.kind, "campaign"))!);
    const headers = Object.fromEntries(row.headers);
    expect(headers["List-Unsubscribe"]).toBe(
      `<${BASE}/api/unsubscribe/[removed]>, <mailto:news@other.example?subject=unsubscribe>`,
    );
    expect(row.html).toContain(`${BASE}/api/track/click/[removed]`);
    expect(row.text).toContain(`${BASE}/u/[removed]`);
    expect(row.sealedBody).toBeNull();
    const all = await everythingStoredAndShown(row.id, f.other.id, f.otherOwner);
    for (const t of tokens) expect(all).not.toContain(t);
  });

  it("a message whose sealed copy cannot be opened fails loudly instead of mailing the redacted text", async () => {
    process.env.SMTP_URL = sink.url;
    resetEnvCache();
    resetMailer();
    const to = `sealed-${randomUUID().slice(0, 6)}@example.test`;
    const [row] = await h.db
      .insert(outboxMessages)
      .values({
        workspaceId: f.ws.id,
        kind: "invitation",
        toAddress: to,
        subject: "Broken",
        text: "Accept: [removed]",
        sealedBody: "v1.not.a.real-box",
      })
      .returning();
    const { sendSystemEmailJob } = await import("@/server/queue/jobs/system-email");
    await h.queue.enqueue(sendSystemEmailJob, { outboxId: row!.id });
    await h.queue.drain();
    expect(sink.for(to)).toHaveLength(0);
    const after = await outboxRow(eq(outboxMessages.id, row!.id));
    expect(after.status).toBe("failed");
    expect(after.error).toMatch(/could not be opened/i);
  });
});

describe("no other way to the secret links", () => {
  it("the activity log and notifications a viewer reads carry no invitation or confirmation link", async () => {
    process.env.SMTP_URL = sink.url;
    resetEnvCache();
    resetMailer();
    const invitee = `other-path-${randomUUID().slice(0, 6)}@example.test`;
    const { url } = await callerFor(h.db, f.owner).workspace.invitations.create({
      workspaceId: f.ws.id,
      email: invitee,
      role: "admin",
    });
    const form = await callerFor(h.db, f.admin).forms.create({
      workspaceId: f.ws.id,
      name: `Paths ${randomUUID().slice(0, 6)}`,
      doubleOptIn: true,
    });
    const subscriber = `doi-path-${randomUUID().slice(0, 6)}@example.test`;
    await handleFormPost(
      new Request(`${BASE}/api/forms/${f.ws.slug}/${form.slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: subscriber }),
      }),
      {
        db: h.db,
        workspaceSlug: f.ws.slug,
        formSlug: form.slug,
        actor: { userId: null, ip: "198.51.100.91", userAgent: "vitest" },
        baseUrl: BASE,
      },
    );
    await h.queue.drain();
    const mailed = (await sink.parse(sink.for(subscriber)[0]!)).text ?? "";
    const signature = /[?&]s=([\w-]+)/.exec(mailed)?.[1];
    const inviteToken = new URL(url).pathname.split("/").pop()!;
    expect(signature).toBeTruthy();

    const viewer = callerFor(h.db, f.viewer);
    const seen = JSON.stringify([
      await viewer.workspace.activity.list({ workspaceId: f.ws.id }),
      await viewer.notifications.list({ workspaceId: f.ws.id }),
    ]);
    expect(seen).toContain(invitee); // the log does say who was invited…
    expect(seen).not.toContain(inviteToken); // …but not with what
    expect(seen).not.toContain(signature);
  });

  it("the REST API has no outbox route", () => {
    expect(restRoutes.filter((r) => /outbox|mail/i.test(r.path))).toEqual([]);
    expect(JSON.stringify(openApiDocument())).not.toMatch(/outbox/i);
  });
});

describe("retention", () => {
  async function aged(days: number, workspaceId: string | null) {
    const [row] = await h.db
      .insert(outboxMessages)
      .values({
        workspaceId,
        kind: "campaign",
        toAddress: `aged-${randomUUID().slice(0, 6)}@example.test`,
        subject: `aged ${days}`,
        text: "x",
        status: "outbox",
        createdAt: new Date(Date.now() - days * 86_400_000),
      })
      .returning({ id: outboxMessages.id });
    return row!.id;
  }
  const alive = async (ids: string[]) =>
    (
      await h.db.select({ id: outboxMessages.id }).from(outboxMessages).where(inArray(outboxMessages.id, ids))
    ).map((r) => r.id);

  it("the cleanup job drops messages older than 30 days by default, workspace mail and app mail alike", async () => {
    const old = await aged(31, f.ws.id);
    const oldApp = await aged(45, null);
    const recent = await aged(29, f.ws.id);
    const res = await runJobNow(h.db, cleanupJob);
    expect(res).toMatchObject({ outboxMessages: expect.any(Number) });
    expect(await alive([old, oldApp, recent])).toEqual([recent]);
  });

  it("OUTBOX_RETENTION_DAYS changes the window", async () => {
    process.env.OUTBOX_RETENTION_DAYS = "7";
    resetEnvCache();
    const eight = await aged(8, f.ws.id);
    const six = await aged(6, f.ws.id);
    await runJobNow(h.db, cleanupJob);
    expect(await alive([eight, six])).toEqual([six]);
  });
});

import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/logger";
import { resetMailer } from "@/lib/mailer";
import { outboxMessages, users, workspaceInvitations, workspaceMembers } from "@/server/db/schema";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser, createWorkspace, uniqueEmail } from "../helpers/fixtures";

/**
 * Issue 12, item 1: a viewer read an admin invitation's link in the outbox, signed up as the
 * invitee's address (no verification) and accepted it. End to end through better-auth's HTTP handler
 * and the tRPC route, as a browser would.
 */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
let ipSeq = 1;
const freshBrowser = () => new TestBrowser(`203.0.113.${ipSeq++}`);

async function signUpAndIn(browser: TestBrowser, email: string, name = "Someone") {
  expect((await browser.auth("/sign-up/email", { email, password: PASSWORD, name })).status).toBe(200);
  if (!browser.hasCookie("session_token")) {
    expect((await browser.auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  }
  const [user] = await h.db.select().from(users).where(eq(users.email, email));
  return user!;
}

async function workspaceWithViewer() {
  const owner = await createUser(h.db, { name: "Owner" });
  const ws = await createWorkspace(h.db, owner);
  const mallory = freshBrowser();
  const malloryUser = await signUpAndIn(mallory, uniqueEmail("mallory"), "Mallory");
  await h.db.insert(workspaceMembers).values({ workspaceId: ws.id, userId: malloryUser.id, role: "viewer" });
  return { owner, ws, mallory };
}

async function inviteAdmin(owner: Awaited<ReturnType<typeof createUser>>, workspaceId: string) {
  const email = uniqueEmail("victim");
  const res = await callerFor(h.db, owner).workspace.invitations.create({
    workspaceId,
    email,
    role: "admin",
  });
  await h.queue.drain();
  return { email, url: res.url, token: new URL(res.url).pathname.split("/").pop()! };
}

async function memberRole(workspaceId: string, email: string) {
  const [row] = await h.db
    .select({ role: workspaceMembers.role })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.workspaceId, workspaceId), eq(users.email, email)));
  return row?.role ?? null;
}

describe("viewer → admin through the outbox", () => {
  it("a viewer cannot read the outbox, and nothing there holds the invitation's token", async () => {
    const { owner, ws, mallory } = await workspaceWithViewer();
    const inv = await inviteAdmin(owner, ws.id);

    const list = await mallory.trpc("query", "email.outbox.list", { workspaceId: ws.id });
    expect(list.status).toBe(403);
    expect(list.error?.data.code).toBe("FORBIDDEN");
    const [row] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.workspaceId, ws.id));
    const get = await mallory.trpc("query", "email.outbox.get", { workspaceId: ws.id, id: row!.id });
    expect(get.status).toBe(403);
    expect(JSON.stringify(row)).not.toContain(inv.token);
  });

  it("signing up as the invitee's address without verifying it cannot accept the invitation", async () => {
    const { owner, ws } = await workspaceWithViewer();
    const inv = await inviteAdmin(owner, ws.id);

    // The impostor holds the link (say, leaked elsewhere) and an account under the invitee's address.
    const impostor = freshBrowser();
    const impostorUser = await signUpAndIn(impostor, inv.email, "Not the invitee");
    expect(impostorUser.emailVerified).toBe(false);
    const shown = await impostor.trpc("query", "workspace.invitations.get", { token: inv.token });
    expect(shown.status).toBe(200);

    const accept = await impostor.trpc("mutation", "workspace.invitations.accept", { token: inv.token });
    expect(accept.status).toBe(403);
    expect(accept.error?.message).toMatch(/verify your email address/i);
    expect(await memberRole(ws.id, inv.email)).toBeNull();
    const [still] = await h.db
      .select({ status: workspaceInvitations.status })
      .from(workspaceInvitations)
      .where(eq(workspaceInvitations.workspaceId, ws.id));
    expect(still?.status).toBe("pending");
  });
});

describe("email verification", () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    resetEnvCache();
    resetMailer();
    await sink.close();
  });
  afterEach(() => {
    delete process.env.SMTP_URL;
    resetEnvCache();
    resetMailer();
    vi.restoreAllMocks();
  });
  const withSmtp = () => {
    process.env.SMTP_URL = sink.url;
    resetEnvCache();
    resetMailer();
  };

  /** The link of the nth verification mail the address received (other app mail skipped). */
  async function verificationLink(email: string, nth = 1) {
    await h.queue.drain();
    const parsed = await Promise.all(sink.for(email).map((m) => sink.parse(m)));
    const mails = parsed.filter((m) => /verify/i.test(m.subject ?? ""));
    expect(mails.length).toBeGreaterThanOrEqual(nth);
    const link = mails[nth - 1]!.text!.match(/https?:\/\/\S+verify-email\S+/)?.[0];
    expect(link).toBeTruthy();
    return link!;
  }

  it("signing up sends a verification mail over SMTP; its link verifies, and then the invitee accepts", async () => {
    withSmtp();
    const { owner, ws } = await workspaceWithViewer();
    const inv = await inviteAdmin(owner, ws.id);
    const invitee = freshBrowser();
    const user = await signUpAndIn(invitee, inv.email, "The invitee");
    const link = await verificationLink(inv.email);
    expect(link.startsWith("http://localhost:3000/api/auth/verify-email?token=")).toBe(true);

    const opened = await invitee.open(link);
    expect(opened.status).toBe(302);
    const [after] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(after?.emailVerified).toBe(true);

    const accept = await invitee.trpc("mutation", "workspace.invitations.accept", { token: inv.token });
    expect(accept.status).toBe(200);
    expect(await memberRole(ws.id, inv.email)).toBe("admin");
    // The mail row is not in any workspace's outbox, and keeps no readable token.
    const rows = await h.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, inv.email));
    const token = new URL(link).searchParams.get("token")!;
    for (const r of rows.filter((r) => r.kind === "verify-email")) {
      expect(r.workspaceId).toBeNull();
      expect(JSON.stringify(r)).not.toContain(token);
      expect(r.status).toBe("sent");
    }
  });

  it("a signed-in unverified user can ask for the mail again; the link expires into an error page", async () => {
    withSmtp();
    const email = uniqueEmail("resend");
    const b = freshBrowser();
    await signUpAndIn(b, email);
    await verificationLink(email, 1);
    const res = await b.auth("/send-verification-email", { email, callbackURL: "/invitations/abc" });
    expect(res.status).toBe(200);
    const second = await verificationLink(email, 2);
    expect(new URL(second).searchParams.get("callbackURL")).toBe("/invitations/abc");
    // A tampered token verifies nothing and lands on the page that says so.
    const bad = await b.open(second.replace(/token=([^&]+)/, "token=$1x"));
    expect(bad.status).toBe(302);
    expect(bad.headers.get("location")).toContain("error=");
    const [u] = await h.db.select().from(users).where(eq(users.email, email));
    expect(u?.emailVerified).toBe(false);
  });

  it("with no mail server, outside production the link is written to the server log for the operator", async () => {
    const info = vi.spyOn(logger, "info");
    const email = uniqueEmail("devlog");
    const b = freshBrowser();
    await signUpAndIn(b, email);
    await h.queue.drain();
    const line = info.mock.calls.map((c) => c.map(String).join(" ")).find((l) => l.includes(email));
    expect(line).toMatch(/verif.*https?:\/\/\S+\/api\/auth\/verify-email\?token=/i);
    // …and what is kept in the database is still only the redacted copy.
    const token = /token=([^&\s]+)/.exec(line!)![1]!;
    const rows = await h.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, email));
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

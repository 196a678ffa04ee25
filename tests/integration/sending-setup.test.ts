import net from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { workspaces } from "@/server/db/schema";
import { isPrivateAddress, setGuardStandInsForTests } from "@/server/http/guarded-fetch";
import { closeTransports, getTransport } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/*
 * Settings → Sending → Mail server (issue 15, point 13): the choice and the workspace's own SMTP
 * server, stored with the password sealed, tested against real SMTP sinks (one requiring AUTH), and
 * used by the transport. A workspace-typed host is reached through the SSRF guard: 127.0.0.1 plays
 * a public address only where the guard's stand-in says so.
 */
vi.stubEnv("SMTP_URL", "");
vi.stubEnv("SMTP_ALLOW_PRIVATE", "false");
resetEnvCache();

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let sink: SmtpSink;
let authSink: SmtpSink;
const PASSWORD = "sink-pass-0123";
const SENDER = {
  fromName: "A Team",
  fromEmail: "news@tenant-a.test",
  postalAddress: "1 Analytical Way, London N1 1AA, United Kingdom",
};

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  sink = await startSmtpSink();
  authSink = await startSmtpSink({ auth: { user: "mailer", pass: PASSWORD } });
  await callerFor(h.db, f.owner).email.sender.update({ workspaceId: f.ws.id, ...SENDER });
});
afterAll(async () => {
  closeTransports();
  await sink.close();
  await authSink.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});
const publicLoopback = () =>
  setGuardStandInsForTests({ isBlocked: (a) => a !== "127.0.0.1" && isPrivateAddress(a) });
beforeEach(async () => {
  publicLoopback();
  const [row] = await h.db
    .select({ s: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, f.ws.id));
  const { smtp: _drop, ...rest } = (row?.s ?? {}) as Record<string, unknown>;
  await h.db.update(workspaces).set({ settings: rest }).where(eq(workspaces.id, f.ws.id));
  sink.received.length = 0;
  authSink.received.length = 0;
});
afterEach(() => setGuardStandInsForTests(null));

const W = () => ({ workspaceId: f.ws.id });
const owner = () => callerFor(h.db, f.owner);
const own = (over: Record<string, unknown> = {}) => ({
  ...W(),
  mode: "own" as const,
  host: "127.0.0.1",
  port: authSink.port,
  security: "none" as const,
  username: "mailer",
  password: PASSWORD,
  ...over,
});
const rawSmtp = async () => {
  const [row] = await h.db
    .select({ s: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, f.ws.id));
  return ((row?.s ?? {}) as { smtp?: unknown }).smtp;
};

describe("saving the mail server", () => {
  it("shows the default (none: the outbox) before anything is saved", async () => {
    const view = await owner().email.sender.mailServer(W());
    expect(view).toMatchObject({ mode: "default", serverDefault: null, own: null, active: "outbox" });
  });

  it("shows the operator's SMTP_URL as host:port without its secrets", async () => {
    vi.stubEnv("SMTP_URL", "smtp://op-user:op-secret@relay.operator.test:2525");
    resetEnvCache();
    try {
      const view = await owner().email.sender.mailServer(W());
      expect(view.serverDefault).toBe("relay.operator.test:2525");
      expect(JSON.stringify(view)).not.toContain("op-secret");
    } finally {
      vi.stubEnv("SMTP_URL", "");
      resetEnvCache();
    }
  });

  it("stores the password sealed, never returns it, and keeps it when the field is left empty", async () => {
    const saved = await owner().email.sender.updateMailServer(own());
    expect(saved).toMatchObject({
      mode: "own",
      active: "smtp",
      own: { host: "127.0.0.1", passwordSet: true },
    });
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    const raw = (await rawSmtp()) as { own: { passwordSealed: string } };
    expect(JSON.stringify(raw)).not.toContain(PASSWORD);
    expect(raw.own.passwordSealed).toMatch(/^v1\./);
    // Members read the state, without any secret.
    const asMember = await callerFor(h.db, f.member).email.sender.mailServer(W());
    expect(asMember.own).toMatchObject({ host: "127.0.0.1", username: "mailer", passwordSet: true });
    expect(JSON.stringify(asMember)).not.toContain(PASSWORD);
    // An empty password keeps the stored one (sealed again, so the text differs; it still opens).
    const kept = await owner().email.sender.updateMailServer(own({ password: "" }));
    expect(kept.own?.passwordSet).toBe(true);
    expect((await owner().email.sender.testMailServer(own({ password: "" }))).ok).toBe(true);
  });

  it("never hands a saved password to another host: an empty field there is refused", async () => {
    await owner().email.sender.updateMailServer(own());
    const before = await rawSmtp();
    await expect(
      owner().email.sender.updateMailServer(own({ host: "smtp.elsewhere.test", password: "" })),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const test = await owner()
      .email.sender.testMailServer(own({ host: "smtp.elsewhere.test", password: "" }))
      .catch((e) => e);
    expect(test).toMatchObject({ code: "BAD_REQUEST" });
    expect(await rawSmtp()).toEqual(before);
  });

  it("refuses bad input with a message and changes nothing", async () => {
    await expect(
      owner().email.sender.updateMailServer(own({ host: "smtp://mail.test:25" })),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner().email.sender.updateMailServer(own({ port: 70000 }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner().email.sender.updateMailServer(own({ host: "" }))).rejects.toThrow(
      "Enter the mail server's host name",
    );
    expect(await rawSmtp()).toBeUndefined();
  });

  it("refuses members and other workspaces", async () => {
    for (const user of [f.member, f.viewer]) {
      await expect(callerFor(h.db, user).email.sender.updateMailServer(own())).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(callerFor(h.db, user).email.sender.testMailServer(own())).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    const b = callerFor(h.db, f.otherOwner);
    await expect(b.email.sender.mailServer(W())).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.email.sender.updateMailServer(own())).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.email.sender.testMailServer(own())).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await rawSmtp()).toBeUndefined();
    expect(authSink.received).toHaveLength(0);
  });

  it("still reads a URL an operator wrote into the row by hand", async () => {
    await h.db
      .update(workspaces)
      .set({ settings: { sender: SENDER, smtp: { url: `smtp://127.0.0.1:${sink.port}?ignoreTLS=true` } } })
      .where(eq(workspaces.id, f.ws.id));
    const view = await owner().email.sender.mailServer(W());
    expect(view).toMatchObject({
      mode: "own",
      legacy: true,
      active: "smtp",
      own: { host: "127.0.0.1", port: sink.port },
    });
  });
});

describe("the Test button", () => {
  it("signs in, sends a test message to the person testing and says so", async () => {
    const r = await owner().email.sender.testMailServer(own());
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toBe(
      `Sent a test message to ${f.owner.email} through 127.0.0.1:${authSink.port}. Check that inbox.`,
    );
    expect(r.serverReply).toMatch(/^250/);
    expect(authSink.for(f.owner.email)).toHaveLength(1);
  });

  it("uses the saved password when the field is empty", async () => {
    await owner().email.sender.updateMailServer(own());
    const r = await owner().email.sender.testMailServer(own({ password: "" }));
    expect(r.ok, r.message).toBe(true);
  });

  it("reports a wrong password as an authentication failure, with the server's answer", async () => {
    const r = await owner().email.sender.testMailServer(own({ password: "wrong-password" }));
    expect(r.ok).toBe(false);
    expect(r.message).toBe(
      `Authentication failed: 127.0.0.1:${authSink.port} refused the username or password.`,
    );
    expect(r.serverReply).toMatch(/535/);
    expect(authSink.received).toHaveLength(0);
  });

  it("reports a closed port as connection refused", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const r = await owner().email.sender.testMailServer(own({ port: closed }));
    expect(r).toMatchObject({ ok: false });
    expect(r.message).toContain("Connection refused");
  });

  it("reports a server that says nothing as a timeout", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout"],
      shouldAdvanceTime: true,
      advanceTimeDelta: 1000,
    });
    try {
      const connected = new Promise<void>((resolve) => silent.once("connection", () => resolve()));
      let settled = false;
      const call = owner()
        .email.sender.testMailServer(own({ port }))
        .finally(() => {
          settled = true;
        });
      // Once connected, the test waits for the greeting: run its timer out in fake time.
      await connected;
      while (!settled) {
        await new Promise((resolve) => setImmediate(resolve));
        await vi.advanceTimersByTimeAsync(1000);
      }
      const r = await call;
      expect(r.ok).toBe(false);
      expect(r.message).toContain("Timed out");
    } finally {
      silent.close();
    }
  });

  it("refuses a loopback host through the SSRF guard unless SMTP_ALLOW_PRIVATE is on", async () => {
    setGuardStandInsForTests(null);
    const r = await owner().email.sender.testMailServer(own());
    expect(r.ok).toBe(false);
    expect(r.message).toContain("private or loopback network");
    expect(r.message).toContain("SMTP_ALLOW_PRIVATE=true");
    const named = await owner().email.sender.testMailServer(own({ host: "localhost" }));
    expect(named.message).toContain("private or loopback network");
    expect(authSink.received).toHaveLength(0);

    vi.stubEnv("SMTP_ALLOW_PRIVATE", "true");
    resetEnvCache();
    try {
      expect((await owner().email.sender.testMailServer(own())).ok).toBe(true);
    } finally {
      vi.stubEnv("SMTP_ALLOW_PRIVATE", "false");
      resetEnvCache();
    }
  });

  it("says so when the default is the outbox", async () => {
    const r = await owner().email.sender.testMailServer({ ...W(), mode: "default" });
    expect(r).toEqual({
      ok: false,
      message: "This server has no default mail server (SMTP_URL): mail stays in the in-app outbox.",
      serverReply: null,
    });
  });
});

describe("the transport uses the saved settings", () => {
  const step = { subject: "Hello {{first_name}}", body: "<p>Hi there</p>" };
  it("sends a campaign test through the saved server, and a new pool after the settings change", async () => {
    await owner().email.sender.updateMailServer(own({ password: "wrong-password" }));
    expect(await getTransport(h.db, f.ws.id).kind()).toBe("smtp");
    await expect(owner().email.campaigns.sendTest({ ...W(), to: f.owner.email, step })).rejects.toThrow();
    expect(authSink.received).toHaveLength(0);

    await owner().email.sender.updateMailServer(own());
    const sent = await owner().email.campaigns.sendTest({ ...W(), to: f.owner.email, step });
    expect(sent.delivered).toBe(true);
    await authSink.waitFor(1);
    const mail = await authSink.parse(authSink.for(f.owner.email)[0]!);
    expect(mail.subject).toContain("[Test]");
    expect(mail.from?.value[0]?.address).toBe(SENDER.fromEmail);
  });

  it("goes back to the outbox when the default is chosen and there is none", async () => {
    await owner().email.sender.updateMailServer(own());
    await owner().email.sender.updateMailServer({ ...W(), mode: "default" });
    expect(await getTransport(h.db, f.ws.id).kind()).toBe("outbox");
    // The own server's settings are kept for switching back.
    expect((await owner().email.sender.mailServer(W())).own).toMatchObject({ passwordSet: true });
  });
});

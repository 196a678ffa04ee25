import { count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetMailer } from "@/lib/mailer";
import { createAuth } from "@/server/auth";
import type { DbHandle } from "@/server/db";
import { sessions, users } from "@/server/db/schema";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { memoryTestDb, setupTestDb } from "../helpers/db";
import { callerFor, createUser, createWorkspace, uniqueEmail } from "../helpers/fixtures";

/** Issue 12 items 8 (SIGNUP switch), 14 (no account enumeration) and 18 (common passwords). */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
let ipSeq = 1;
const browser = () => new TestBrowser(`192.0.2.${ipSeq++}`);
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});
afterEach(() => {
  delete process.env.SIGNUP;
  delete process.env.SMTP_URL;
  resetEnvCache();
  resetMailer();
});
function setEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetEnvCache();
  resetMailer();
}

const userRow = async (email: string) =>
  (await h.db.select().from(users).where(eq(users.email, email)))[0] ?? null;

describe("SIGNUP=open|invite|closed", () => {
  it("open (the default): anyone can create an account", async () => {
    const email = uniqueEmail("open");
    const res = await browser().auth("/sign-up/email", { email, password: PASSWORD, name: "Open" });
    expect(res.status).toBe(200);
    expect(await userRow(email)).not.toBeNull();
  });

  it("invite: only an address with a pending invitation may sign up", async () => {
    setEnv({ SIGNUP: "invite" });
    const stranger = uniqueEmail("stranger");
    const refused = await browser().auth("/sign-up/email", {
      email: stranger,
      password: PASSWORD,
      name: "S",
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/invitation/i);
    expect(await userRow(stranger)).toBeNull();

    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    const invited = uniqueEmail("invited");
    await callerFor(h.db, owner).workspace.invitations.create({ workspaceId: ws.id, email: invited });
    const ok = await browser().auth("/sign-up/email", {
      email: invited.toUpperCase(),
      password: PASSWORD,
      name: "I",
    });
    expect(ok.status).toBe(200);
    expect(await userRow(invited)).not.toBeNull();
  });

  it("closed: no sign-up at all, whatever the address", async () => {
    setEnv({ SIGNUP: "closed" });
    const email = uniqueEmail("closed");
    const res = await browser().auth("/sign-up/email", { email, password: PASSWORD, name: "C" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/closed/i);
    expect(await userRow(email)).toBeNull();
  });

  // One request per endpoint (social, SSO and passkey plugins add many): slow on a loaded machine.
  it("closed holds on every better-auth endpoint: none creates a user, whatever it is sent", {
    timeout: 120_000,
  }, async () => {
    setEnv({ SIGNUP: "closed" });
    // A database of its own, so that users other test files create meanwhile cannot move the count.
    const own = await memoryTestDb();
    const g = globalThis as unknown as { organicDb?: Promise<DbHandle>; organicAuth?: unknown };
    g.organicDb = Promise.resolve(own);
    g.organicAuth = undefined;
    onTestFinished(async () => {
      g.organicDb = Promise.resolve(h);
      g.organicAuth = undefined;
      await own.close();
    });
    const users0 = async () => (await own.db.select({ n: count() }).from(users))[0]!.n;
    const before = await users0();
    expect(before).toBe(0);
    const endpoints = Object.values(createAuth(h.db).api)
      .map((e) => e as unknown as { path?: string; options?: { method?: string | string[] } })
      .filter((e) => typeof e.path === "string");
    expect(endpoints.map((e) => e.path)).toContain("/sign-up/email");
    const email = uniqueEmail("anypath");
    // Everything a user-creating endpoint could want: credentials, a provider, an id token, a name.
    const body = {
      email,
      password: PASSWORD,
      newPassword: PASSWORD,
      name: "Any Path",
      provider: "google",
      idToken: { token: "x" },
      token: "x",
      callbackURL: "/",
    };
    const statuses: string[] = [];
    for (const e of endpoints) {
      const path = e.path!.replace(/:\w+/g, "google");
      const methods = [e.options?.method ?? "POST"].flat();
      for (const method of methods) {
        const b = browser();
        const res =
          method === "GET"
            ? await b.auth(`${path}?${new URLSearchParams({ email, token: "x", state: "x", code: "x" })}`)
            : await b.auth(path, body);
        statuses.push(`${method} ${path} ${res.status}`);
      }
    }
    expect(statuses).toContain("POST /sign-up/email 403");
    expect(await users0(), statuses.join("\n")).toBe(0);
  });

  it("a value other than open, invite or closed stops the app with a message naming SIGNUP", async () => {
    setEnv({ SIGNUP: "maybe" });
    const { env } = await import("@/lib/env");
    expect(() => env()).toThrow(/SIGNUP/);
  });
});

describe("sign-up does not reveal existing accounts", () => {
  /** What an attacker can observe of one answer: status, the body's shape, cookies set. */
  async function observe(email: string) {
    const b = browser();
    const res = await b.auth("/sign-up/email", { email, password: "attacker's choice 42", name: "Probe" });
    const body = (await res.json()) as { token: unknown; user: Record<string, unknown> };
    return {
      status: res.status,
      keys: Object.keys(body).sort(),
      userKeys: Object.keys(body.user ?? {}).sort(),
      token: body.token,
      emailVerified: body.user?.emailVerified,
      email: body.user?.email,
      cookies: [...b.cookies.keys()],
    };
  }

  it("answers an existing address exactly as a new one, with no session; the owner is told by mail", async () => {
    setEnv({ SMTP_URL: sink.url });
    const existing = uniqueEmail("owner");
    expect(
      (await browser().auth("/sign-up/email", { email: existing, password: PASSWORD, name: "Owner" })).status,
    ).toBe(200);
    const ownerRow = (await userRow(existing))!;
    await h.queue.drain();
    const mailsBefore = sink.for(existing).length;

    const fresh = await observe(uniqueEmail("fresh"));
    const taken = await observe(existing);
    expect(taken).toEqual({ ...fresh, email: existing });
    expect(taken.status).toBe(200);
    expect(taken.cookies).toEqual([]);
    expect(await h.db.select().from(sessions).where(eq(sessions.userId, ownerRow.id))).toHaveLength(0);

    await h.queue.drain();
    const mails = sink.for(existing).slice(mailsBefore);
    expect(mails).toHaveLength(1);
    const told = await sink.parse(mails[0]!);
    expect(told.subject).toMatch(/sign up/i);
    expect(told.text).toMatch(/already has an account/i);
    expect(told.text).toContain("/forgot-password");
  });
});

describe("common passwords are refused", () => {
  it("at sign-up, with a clear message, and no user is created", async () => {
    for (const password of ["password", "12345678", "iloveyou", "Password1", "qwerty123"]) {
      const email = uniqueEmail("weak");
      const res = await browser().auth("/sign-up/email", { email, password, name: "W" });
      expect(res.status, password).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/too common/i);
      expect(await userRow(email)).toBeNull();
    }
  });

  it("when changing the password; the old one keeps working", async () => {
    const email = uniqueEmail("change");
    const b = browser();
    await b.auth("/sign-up/email", { email, password: PASSWORD, name: "C" });
    if (!b.hasCookie("session_token")) await b.auth("/sign-in/email", { email, password: PASSWORD });
    const res = await b.auth("/change-password", { currentPassword: PASSWORD, newPassword: "football" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/too common/i);
    expect((await browser().auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  });
});

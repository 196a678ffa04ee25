import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAuth, SESSION_IDLE_SECONDS, SESSION_MAX_AGE_SECONDS } from "@/server/auth";
import { sessions, users } from "@/server/db/schema";
import { getSessionUser } from "@/server/session";
import { setupTestDb } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";

/**
 * Session lifetime against better-auth on the real database: an idle session expires (the sliding
 * window is the idle timeout), use pushes it out, and server/session.ts ends any session after the
 * absolute lifetime however active it is.
 */
const h = await setupTestDb();
const BASE = "http://localhost:3000";
const auth = createAuth(h.db);
const DAY = 86_400_000;
const appGlobals = globalThis as unknown as { organicDb?: Promise<unknown>; organicAuth?: unknown };

beforeAll(() => {
  // getSessionUser uses the app's process-wide handles; point them at this file's database.
  appGlobals.organicDb = Promise.resolve(h);
  appGlobals.organicAuth = undefined;
});
afterAll(() => {
  appGlobals.organicDb = undefined;
  appGlobals.organicAuth = undefined;
});

async function signUp() {
  const email = uniqueEmail("idle");
  const post = (path: string, body: unknown) =>
    auth.handler(
      new Request(`${BASE}/api/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": "192.0.2.40" },
        body: JSON.stringify(body),
      }),
    );
  expect(
    (await post("/sign-up/email", { email, password: "correct horse battery", name: "Idle" })).status,
  ).toBe(200);
  // Sign-up starts no session (issue 12: it must answer an existing address the same way).
  const res = await post("/sign-in/email", { email, password: "correct horse battery" });
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const [user] = await h.db.select().from(users).where(eq(users.email, email));
  const [session] = await h.db.select().from(sessions).where(eq(sessions.userId, user!.id));
  return { cookie, user: user!, session: session! };
}

const headersWith = (cookie: string) => new Headers({ cookie });

async function setTimes(id: string, t: { createdAt?: Date; updatedAt: Date; expiresAt: Date }) {
  await h.db.update(sessions).set(t).where(eq(sessions.id, id));
}

describe("session expiry", () => {
  it("is configured: a week idle, 30 days at most", () => {
    expect(SESSION_IDLE_SECONDS).toBe(7 * 86_400);
    expect(SESSION_MAX_AGE_SECONDS).toBe(30 * 86_400);
  });

  it("a new session expires one idle period from now", async () => {
    const { session } = await signUp();
    const left = session.expiresAt.getTime() - Date.now();
    expect(left).toBeGreaterThan(SESSION_IDLE_SECONDS * 1000 - 60_000);
    expect(left).toBeLessThanOrEqual(SESSION_IDLE_SECONDS * 1000);
  });

  it("a session left unused for longer than the idle timeout no longer signs anyone in", async () => {
    const { cookie, session, user } = await signUp();
    expect((await auth.api.getSession({ headers: headersWith(cookie) }))?.user.id).toBe(user.id);
    // Last used eight days ago: its sliding expiry (last use + 7 days) passed yesterday.
    const lastUse = new Date(Date.now() - 8 * DAY);
    await setTimes(session.id, {
      updatedAt: lastUse,
      expiresAt: new Date(lastUse.getTime() + SESSION_IDLE_SECONDS * 1000),
    });
    expect(await auth.api.getSession({ headers: headersWith(cookie) })).toBeNull();
    expect(await getSessionUser(headersWith(cookie))).toBeNull();
  });

  it("using a session pushes its idle expiry out again", async () => {
    const { cookie, session } = await signUp();
    // Last used two days ago: five days left.
    const lastUse = new Date(Date.now() - 2 * DAY);
    await setTimes(session.id, {
      updatedAt: lastUse,
      expiresAt: new Date(lastUse.getTime() + SESSION_IDLE_SECONDS * 1000),
    });
    expect(await getSessionUser(headersWith(cookie))).not.toBeNull();
    const [after] = await h.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(after!.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_IDLE_SECONDS * 1000 - 60_000);
  });

  it("ends a session after the absolute lifetime even if it was used a minute ago", async () => {
    const { cookie, session, user } = await signUp();
    await setTimes(session.id, {
      createdAt: new Date(Date.now() - 29 * DAY),
      updatedAt: new Date(Date.now() - 60_000),
      expiresAt: new Date(Date.now() + 6 * DAY),
    });
    expect((await getSessionUser(headersWith(cookie)))?.id).toBe(user.id);
    await setTimes(session.id, {
      createdAt: new Date(Date.now() - 31 * DAY),
      updatedAt: new Date(Date.now() - 60_000),
      expiresAt: new Date(Date.now() + 6 * DAY),
    });
    expect(await getSessionUser(headersWith(cookie))).toBeNull();
  });

  it("a revoked session is refused at once (no cookie cache)", async () => {
    const { cookie, session } = await signUp();
    expect(await getSessionUser(headersWith(cookie))).not.toBeNull();
    await h.db.delete(sessions).where(eq(sessions.id, session.id));
    expect(await getSessionUser(headersWith(cookie))).toBeNull();
  });
});

/**
 * server/session.ts reads a valid, current session itself (one prepared statement) and hands every
 * other case to better-auth's getSession; either way the answer is better-auth's.
 */
describe("the session read", () => {
  async function spiedAuth() {
    const own = createAuth(h.db);
    appGlobals.organicAuth = Promise.resolve(own);
    return { own, spy: vi.spyOn(own.api, "getSession") };
  }
  afterEach(() => {
    vi.restoreAllMocks();
    appGlobals.organicAuth = undefined;
  });

  it("answers a current session as better-auth does, without asking it and without a write", async () => {
    const { cookie, session, user } = await signUp();
    const { own, spy } = await spiedAuth();
    const read = await getSessionUser(headersWith(cookie));
    expect(spy).not.toHaveBeenCalled();
    const theirs = await own.api.getSession({ headers: headersWith(cookie) });
    expect(read).toEqual({
      id: theirs!.user.id,
      email: theirs!.user.email,
      name: theirs!.user.name,
      signInMethod: theirs!.session.signInMethod,
      emailVerified: theirs!.user.emailVerified,
    });
    expect(read).toMatchObject({ id: user.id, signInMethod: "password", emailVerified: false });
    const [after] = await h.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(after!.updatedAt.getTime()).toBe(session.updatedAt.getTime());
    expect(after!.expiresAt.getTime()).toBe(session.expiresAt.getTime());
  });

  it("refuses a cookie whose signature is not the server's", async () => {
    const { cookie } = await signUp();
    const { spy } = await spiedAuth();
    const [name, value] = cookie.split("=") as [string, string];
    const decoded = decodeURIComponent(value);
    const token = decoded.slice(0, decoded.lastIndexOf("."));
    const forged = createHmac("sha256", "another secret entirely").update(token).digest("base64");
    for (const v of [
      token,
      `${token}.${forged}`,
      `${token}.${"A".repeat(43)}=`,
      `${token}x.${decoded.split(".").at(-1)}`,
    ])
      expect(await getSessionUser(headersWith(`${name}=${encodeURIComponent(v)}`))).toBeNull();
    // The genuine cookie still works, and better-auth was never needed to say no.
    expect(await getSessionUser(headersWith(cookie))).not.toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });

  it("finds the session cookie among others, as better-auth parses the header", async () => {
    const { cookie, user } = await signUp();
    expect((await getSessionUser(headersWith(`theme=dark; ${cookie}; other="x"`)))?.id).toBe(user.id);
    expect(await getSessionUser(headersWith("theme=dark"))).toBeNull();
    expect(await getSessionUser(new Headers())).toBeNull();
  });

  it("hands a session past its expiry to better-auth, which deletes it", async () => {
    const { cookie, session } = await signUp();
    const { spy } = await spiedAuth();
    await setTimes(session.id, {
      updatedAt: new Date(Date.now() - 8 * DAY),
      expiresAt: new Date(Date.now() - DAY),
    });
    expect(await getSessionUser(headersWith(cookie))).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(await h.db.select().from(sessions).where(eq(sessions.id, session.id))).toEqual([]);
  });

  it("hands a session due for its sliding refresh to better-auth, which extends it once", async () => {
    const { cookie, session, user } = await signUp();
    const { spy } = await spiedAuth();
    // Refreshed a day and a minute ago: due (updateAge is a day).
    const lastRefresh = Date.now() - DAY - 60_000;
    await setTimes(session.id, {
      updatedAt: new Date(lastRefresh),
      expiresAt: new Date(lastRefresh + SESSION_IDLE_SECONDS * 1000),
    });
    expect((await getSessionUser(headersWith(cookie)))?.id).toBe(user.id);
    expect(spy).toHaveBeenCalledTimes(1);
    // Extended: the next read is current again and stays on the fast path.
    expect((await getSessionUser(headersWith(cookie)))?.id).toBe(user.id);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

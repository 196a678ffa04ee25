import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

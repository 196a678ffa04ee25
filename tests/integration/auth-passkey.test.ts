import { base32 } from "@better-auth/utils/base32";
import { createOTP } from "@better-auth/utils/otp";
import { and, desc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { activityLogs, passkeys, sessions, users } from "@/server/db/schema";
import { routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";
import { SoftAuthenticator } from "../helpers/webauthn";

/** Issue 18 item 4: passkeys through better-auth's passkey plugin, over the real route handlers. */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
/** A fresh client address (198.18.0.0/15, for benchmarks): limiter counts outlive a run in Redis. */
const rand = (n: number) => Math.floor(Math.random() * n);
const nextIp = () => `198.${18 + rand(2)}.${rand(256)}.${1 + rand(254)}`;

/** The next request builds better-auth again, from the environment as it is now. */
function rebuildAuth() {
  resetEnvCache();
  (globalThis as { organicAuth?: unknown }).organicAuth = undefined;
}

afterEach(() => {
  delete process.env.APP_URL;
  delete process.env.PASSKEY_RP_ID;
  delete process.env.AUTH_RATE_LIMIT_IP_MAX;
  rebuildAuth();
});

/** A new account, signed in in a browser of its own (optionally opened on another address). */
async function signedIn(host?: string) {
  const email = uniqueEmail("pk");
  const b = new TestBrowser(nextIp());
  b.host = host;
  expect((await b.auth("/sign-up/email", { email, password: PASSWORD, name: "P K" })).status).toBe(200);
  expect((await b.auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  const [user] = await h.db.select().from(users).where(eq(users.email, email));
  return { b, email, userId: user!.id };
}

const origin = (b: TestBrowser) => (b.host ? `http://${b.host}` : "http://localhost:3000");

/** Settings → Security's "Add passkey": options, the authenticator's answer, verification. */
async function addPasskey(b: TestBrowser, key: SoftAuthenticator, name: string) {
  const options = await b.auth(`/passkey/generate-register-options?name=${encodeURIComponent(name)}`);
  expect(options.status).toBe(200);
  const json = (await options.json()) as { challenge: string; rp: { id: string } };
  return b.auth("/passkey/verify-registration", { response: key.register(json, origin(b)), name });
}

/** The sign-in page's "Sign in with a passkey", in a browser with no session. */
async function passkeySignIn(key: SoftAuthenticator, host?: string) {
  const b = new TestBrowser(nextIp());
  b.host = host;
  const options = await b.auth("/passkey/generate-authenticate-options");
  expect(options.status).toBe(200);
  const json = (await options.json()) as { challenge: string; rpId: string };
  const res = await b.auth("/passkey/verify-authentication", { response: key.authenticate(json, origin(b)) });
  return { b, res, rpId: json.rpId };
}

async function lastActivity(userId: string, action: string) {
  const [row] = await h.db
    .select()
    .from(activityLogs)
    .where(and(eq(activityLogs.userId, userId), eq(activityLogs.action, action)))
    .orderBy(desc(activityLogs.createdAt))
    .limit(1);
  return row;
}

describe("passkey endpoints", () => {
  it("refuse without a session", async () => {
    const anon = new TestBrowser(nextIp());
    expect((await anon.auth("/passkey/generate-register-options")).status).toBe(401);
    expect((await anon.auth("/passkey/list-user-passkeys")).status).toBe(401);
    expect((await anon.auth("/passkey/update-passkey", { id: crypto.randomUUID(), name: "x" })).status).toBe(
      401,
    );
    expect((await anon.auth("/passkey/delete-passkey", { id: crypto.randomUUID() })).status).toBe(401);
    expect((await anon.auth("/passkey/verify-registration", { response: {} })).status).toBe(401);
  });

  it("a passkey added in settings signs in without a password, as a passkey sign-in in the log", async () => {
    const { b, email, userId } = await signedIn();
    // The authenticator lists the credential under the account's address, not the passkey's name.
    const options = await b.auth("/passkey/generate-register-options?name=Laptop");
    expect(((await options.json()) as { user: { name: string } }).user.name).toBe(email);
    const key = new SoftAuthenticator();
    const added = await addPasskey(b, key, "Laptop");
    expect(added.status).toBe(200);
    const listed = (await (await b.auth("/passkey/list-user-passkeys")).json()) as Array<{ name: string }>;
    expect(listed.map((p) => p.name)).toEqual(["Laptop"]);
    expect(await lastActivity(userId, "user.passkey_added")).toBeTruthy();

    const { b: other, res, rpId } = await passkeySignIn(key);
    expect(rpId).toBe("localhost");
    expect(res.status).toBe(200);
    expect(other.hasCookie("session_token")).toBe(true);
    const me = (await (await other.auth("/get-session")).json()) as { user: { id: string } };
    expect(me.user.id).toBe(userId);
    const [latest] = await h.db
      .select({ method: sessions.signInMethod })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt))
      .limit(1);
    expect(latest!.method).toBe("passkey");
    const signIn = await lastActivity(userId, "user.signed_in");
    expect(signIn?.ipAddress).toBe(other.ip);
  });

  it("a passkey satisfies two-factor: no code is asked for", async () => {
    const { b, userId } = await signedIn();
    const enable = await b.auth("/two-factor/enable", { password: PASSWORD });
    const secret = new URL(((await enable.json()) as { totpURI: string }).totpURI).searchParams.get(
      "secret",
    )!;
    const code = await createOTP(base32.decode(secret), { digits: 6, period: 30 }).totp();
    expect((await b.auth("/two-factor/verify-totp", { code })).status).toBe(200);
    const key = new SoftAuthenticator();
    expect((await addPasskey(b, key, "Phone")).status).toBe(200);

    const { b: other, res } = await passkeySignIn(key);
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty("twoFactorRedirect");
    expect(other.hasCookie("session_token")).toBe(true);
    expect(other.hasCookie("two_factor")).toBe(false);
    const me = (await (await other.auth("/get-session")).json()) as { user: { id: string } };
    expect(me.user.id).toBe(userId);
  });

  it("a deleted passkey no longer signs in", async () => {
    const { b, userId } = await signedIn();
    const key = new SoftAuthenticator();
    const added = (await (await addPasskey(b, key, "Key")).json()) as { id: string };
    expect((await b.auth("/passkey/delete-passkey", { id: added.id })).status).toBe(200);
    expect(await lastActivity(userId, "user.passkey_removed")).toBeTruthy();
    const { b: other, res } = await passkeySignIn(key);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe("PASSKEY_NOT_FOUND");
    expect(other.hasCookie("session_token")).toBe(false);
  });

  it("nobody lists, renames or deletes another user's passkey", async () => {
    const owner = await signedIn();
    const added = (await (await addPasskey(owner.b, new SoftAuthenticator(), "Owner's key")).json()) as {
      id: string;
    };
    const intruder = await signedIn();
    expect(await (await intruder.b.auth("/passkey/list-user-passkeys")).json()).toEqual([]);
    const rename = await intruder.b.auth("/passkey/update-passkey", { id: added.id, name: "Mine now" });
    expect(rename.status).toBe(401);
    const remove = await intruder.b.auth("/passkey/delete-passkey", { id: added.id });
    expect(remove.status).toBe(401);
    const [row] = await h.db.select().from(passkeys).where(eq(passkeys.id, added.id));
    expect(row).toMatchObject({ name: "Owner's key", userId: owner.userId });

    // The owner can do both.
    expect((await owner.b.auth("/passkey/update-passkey", { id: added.id, name: "Renamed" })).status).toBe(
      200,
    );
    const listed = (await (await owner.b.auth("/passkey/list-user-passkeys")).json()) as Array<{
      name: string;
    }>;
    expect(listed.map((p) => p.name)).toEqual(["Renamed"]);
  });

  it("passkey sign-in attempts are limited per address and refusals are recorded", async () => {
    process.env.AUTH_RATE_LIMIT_IP_MAX = "3";
    rebuildAuth();
    const b = new TestBrowser(nextIp());
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await b.auth("/passkey/verify-authentication", { response: { id: `nope-${i}` } })).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    const [failed] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.action, "user.sign_in_failed"), eq(activityLogs.ipAddress, b.ip)))
      .limit(1);
    expect(failed?.metadata).toMatchObject({ reason: "CHALLENGE_NOT_FOUND" });
    // Other addresses are not held back.
    const { b: fresh } = await signedIn();
    expect((await fresh.auth("/passkey/generate-authenticate-options")).status).toBe(200);
  });
});

describe("the relying-party id", () => {
  it("follows the address the browser used when APP_URL is unset, and works there", async () => {
    const { b, userId } = await signedIn("organic.lan:3000");
    const options = (await (await b.auth("/passkey/generate-register-options")).json()) as {
      rp: { id: string };
    };
    expect(options.rp.id).toBe("organic.lan");
    const key = new SoftAuthenticator();
    expect((await addPasskey(b, key, "LAN")).status).toBe(200);
    const { res, rpId } = await passkeySignIn(key, "organic.lan:3000");
    expect(rpId).toBe("organic.lan");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(userId);
    // Opened on another address, the same passkey is for another site: the signature does not hold.
    const elsewhere = await passkeySignIn(key, "10.0.0.5:3000");
    expect(elsewhere.rpId).toBe("10.0.0.5");
    expect(elsewhere.res.status).toBe(400);
  });

  it("is APP_URL's host when set, whatever the request's Host", async () => {
    process.env.APP_URL = "http://organic.example.com:3000";
    rebuildAuth();
    const { b } = await signedIn("organic.example.com:3000");
    const sneaky = new TestBrowser(nextIp());
    sneaky.host = "evil.example:3000";
    const options = (await (await sneaky.auth("/passkey/generate-authenticate-options")).json()) as {
      rpId: string;
    };
    expect(options.rpId).toBe("organic.example.com");
    const register = (await (await b.auth("/passkey/generate-register-options")).json()) as {
      rp: { id: string };
    };
    expect(register.rp.id).toBe("organic.example.com");
  });

  it("is PASSKEY_RP_ID when set", async () => {
    process.env.PASSKEY_RP_ID = "example.com";
    process.env.APP_URL = "http://organic.example.com:3000";
    rebuildAuth();
    const { b, userId } = await signedIn("organic.example.com:3000");
    const key = new SoftAuthenticator();
    expect((await addPasskey(b, key, "Parent domain")).status).toBe(200);
    const { res, rpId } = await passkeySignIn(key, "organic.example.com:3000");
    expect(rpId).toBe("example.com");
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(userId);
  });
});

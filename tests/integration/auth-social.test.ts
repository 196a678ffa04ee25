import { randomInt } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { accounts, passkeys, sessions, users } from "@/server/db/schema";
import {
  GITHUB_CLIENT_ID,
  GITHUB_CLIENT_SECRET,
  type GithubStandIn,
  startGithubStandIn,
} from "../fixtures/stand-ins/github";
import {
  GOOGLE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET,
  type GoogleStandIn,
  startGoogleStandIn,
} from "../fixtures/stand-ins/google";
import { routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser, createWorkspace, uniqueEmail } from "../helpers/fixtures";

/*
 * Issue 18 item 2: "Continue with Google / GitHub" through better-auth's real handler, against local
 * stand-ins that speak Google's and GitHub's documented OAuth answers. Each flow is what a browser
 * does: POST /sign-in/social (or /link-social), open the provider's authorize page, follow its
 * Allow (or Cancel) link back to /api/auth/callback/<provider>, and land where the app redirects.
 */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
let google: GoogleStandIn;
let github: GithubStandIn;
let ipSeq = 1;
const browser = () => new TestBrowser(`203.0.113.${ipSeq++}`);
const providerEnv: Record<string, string> = {};
const g = globalThis as unknown as { organicAuth?: unknown };

beforeAll(async () => {
  [google, github] = await Promise.all([startGoogleStandIn(), startGithubStandIn()]);
  Object.assign(providerEnv, {
    GOOGLE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET,
    GOOGLE_AUTH_BASE_URL: google.url,
    GOOGLE_OAUTH_BASE_URL: google.url,
    GOOGLE_USERINFO_URL: `${google.url}/v1/userinfo`,
    GITHUB_CLIENT_ID,
    GITHUB_CLIENT_SECRET,
    GITHUB_AUTH_BASE_URL: github.url,
    GITHUB_API_BASE_URL: github.url,
  });
  Object.assign(process.env, providerEnv);
  resetEnvCache();
  // The providers are read when the auth instance is built.
  g.organicAuth = undefined;
});
afterAll(async () => {
  for (const k of Object.keys(providerEnv)) delete process.env[k];
  resetEnvCache();
  g.organicAuth = undefined;
  await Promise.all([google?.close(), github?.close()]);
});
afterEach(() => {
  delete process.env.SIGNUP;
  resetEnvCache();
});

type Provider = "google" | "github";
const standIn = (p: Provider) => (p === "google" ? google : github);

/** Starts a provider flow from `path` and returns the provider's authorize URL. */
async function start(b: TestBrowser, path: "/sign-in/social" | "/link-social", body: Record<string, string>) {
  const res = await b.auth(path, body);
  const json = (await res.json()) as { url?: string; redirect?: boolean; message?: string };
  if (res.status !== 200 || !json.url) throw new Error(`${path} answered ${res.status}: ${json.message}`);
  return json.url;
}

/** "Continue with <provider>" to the end: where the app's callback sends the browser. */
async function signInWith(b: TestBrowser, provider: Provider, choice: "approve" | "deny" = "approve") {
  const authorize = await start(b, "/sign-in/social", {
    provider,
    callbackURL: "/",
    newUserCallbackURL: "/onboarding",
    errorCallbackURL: "/sign-in",
  });
  const back = await standIn(provider)[choice](authorize);
  expect(back.startsWith(`http://localhost:3000/api/auth/callback/${provider}?`)).toBe(true);
  const res = await b.open(back);
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!, "http://localhost:3000");
}

/** Links `provider` to the signed-in user from Settings → Security; where the callback lands. */
async function linkWith(b: TestBrowser, provider: Provider) {
  const page = "/acme/settings/security";
  const authorize = await start(b, "/link-social", {
    provider,
    callbackURL: `${page}?linked=${provider}`,
    errorCallbackURL: page,
  });
  const res = await b.open(await standIn(provider).approve(authorize));
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!, "http://localhost:3000");
}

async function sessionUser(b: TestBrowser) {
  const res = await b.auth("/get-session");
  const body = (await res.json()) as { user?: { id: string; email: string; emailVerified: boolean } } | null;
  return body?.user ?? null;
}
const userRow = async (email: string) =>
  (await h.db.select().from(users).where(eq(users.email, email)))[0] ?? null;
const accountsOf = (userId: string) => h.db.select().from(accounts).where(eq(accounts.userId, userId));

/** A password user (sign-up, verified address, signed in) in a fresh browser. */
async function passwordUser(opts: { verified?: boolean } = {}) {
  const email = uniqueEmail("pw");
  const b = browser();
  expect((await b.auth("/sign-up/email", { email, password: PASSWORD, name: "Pat Password" })).status).toBe(
    200,
  );
  if (opts.verified ?? true)
    await h.db.update(users).set({ emailVerified: true }).where(eq(users.email, email));
  expect((await b.auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  return { b, email, id: (await userRow(email))!.id };
}

describe("a new user signs in with a provider", () => {
  it("GitHub: the primary verified address from /user/emails; tokens stored encrypted; the session says github", async () => {
    const email = uniqueEmail("gh-new");
    const who = github.signInAs({
      email,
      name: "Gita Hub",
      extraEmails: [{ email: uniqueEmail("gh-other"), primary: false, verified: true, visibility: null }],
    });
    const b = browser();
    const landed = await signInWith(b, "github");
    expect(landed.pathname).toBe("/onboarding");
    const user = await sessionUser(b);
    expect(user).toMatchObject({ email, emailVerified: true });
    const [acct] = await accountsOf(user!.id);
    expect(acct).toMatchObject({ providerId: "github", accountId: String(who.id), password: null });
    // The access token GitHub issued is not what the database holds.
    expect(acct!.accessToken).toBeTruthy();
    expect(acct!.accessToken).not.toMatch(/^gho_/);
    const [s] = await h.db.select().from(sessions).where(eq(sessions.userId, user!.id));
    expect(s!.signInMethod).toBe("github");
    // The code went to our token URL with the PKCE verifier and the client credentials.
    const exchange = github.requests.findLast((r) => r.path === "/login/oauth/access_token")!;
    expect(exchange.body).toMatchObject({ client_id: GITHUB_CLIENT_ID, client_secret: GITHUB_CLIENT_SECRET });
    expect(exchange.body.code_verifier).toBeTruthy();

    // Next time the same identity signs in to the same user, straight to the dashboard.
    const again = browser();
    expect((await signInWith(again, "github")).pathname).toBe("/");
    expect((await sessionUser(again))!.id).toBe(user!.id);
  });

  it("Google: identity from the userinfo endpoint (keyed on sub), not from the ID token", async () => {
    const email = uniqueEmail("g-new");
    const sub = `11${Date.now()}${randomInt(1000, 9999)}`;
    google.signInAs({ email, name: "Gugu Gle", sub });
    const b = browser();
    expect((await signInWith(b, "google")).pathname).toBe("/onboarding");
    const user = await sessionUser(b);
    expect(user).toMatchObject({ email, emailVerified: true });
    expect(await accountsOf(user!.id)).toMatchObject([{ providerId: "google", accountId: sub }]);
    expect(google.requests.some((r) => r.path === "/v1/userinfo")).toBe(true);
    expect((await userRow(email))!.name).toBe("Gugu Gle");
  });

  it("an address the provider does not vouch for creates no account", async () => {
    for (const provider of ["github", "google"] as const) {
      const email = uniqueEmail(`unverified-${provider}`);
      if (provider === "github") github.signInAs({ email, verified: false });
      else google.signInAs({ email, emailVerified: false });
      const b = browser();
      const landed = await signInWith(b, provider);
      expect(landed.pathname, provider).toBe("/sign-in");
      expect(landed.searchParams.get("error"), provider).toBe("PROVIDER_EMAIL_NOT_VERIFIED");
      expect(await userRow(email), provider).toBeNull();
      expect(await sessionUser(b), provider).toBeNull();
    }
  });
});

describe("SIGNUP applies to social sign-up", () => {
  it("closed: a new GitHub or Google user is refused on the sign-in page; an existing one still signs in", async () => {
    const existing = uniqueEmail("closed-existing");
    const who = github.signInAs({ email: existing });
    const first = browser();
    expect((await signInWith(first, "github")).pathname).toBe("/onboarding");

    process.env.SIGNUP = "closed";
    resetEnvCache();
    for (const provider of ["github", "google"] as const) {
      const email = uniqueEmail(`closed-${provider}`);
      if (provider === "github") github.signInAs({ email });
      else google.signInAs({ email });
      const b = browser();
      const landed = await signInWith(b, provider);
      expect(landed.pathname, provider).toBe("/sign-in");
      expect(landed.searchParams.get("error"), provider).toBe("SIGN_UP_NOT_ALLOWED");
      expect(await userRow(email), provider).toBeNull();
    }
    github.signInAs({ email: existing, id: who.id });
    const back = browser();
    expect((await signInWith(back, "github")).pathname).toBe("/");
    expect((await sessionUser(back))!.email).toBe(existing);
  });

  it("invite: refused for a stranger, allowed for the invited address", async () => {
    process.env.SIGNUP = "invite";
    resetEnvCache();
    const stranger = uniqueEmail("invite-stranger");
    google.signInAs({ email: stranger });
    const refused = await signInWith(browser(), "google");
    expect(refused.searchParams.get("error")).toBe("SIGN_UP_NOT_ALLOWED");
    expect(await userRow(stranger)).toBeNull();

    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    const invited = uniqueEmail("invite-ok");
    await callerFor(h.db, owner).workspace.invitations.create({ workspaceId: ws.id, email: invited });
    google.signInAs({ email: invited });
    const b = browser();
    expect((await signInWith(b, "google")).pathname).toBe("/onboarding");
    expect((await sessionUser(b))!.email).toBe(invited);
  });
});

describe("errors from the provider land on the sign-in page", () => {
  it("denied consent: access_denied, no session, no user", async () => {
    for (const provider of ["github", "google"] as const) {
      const email = uniqueEmail(`deny-${provider}`);
      if (provider === "github") github.signInAs({ email });
      else google.signInAs({ email });
      const b = browser();
      const landed = await signInWith(b, provider, "deny");
      expect(landed.pathname, provider).toBe("/sign-in");
      expect(landed.searchParams.get("error"), provider).toBe("access_denied");
      expect(await sessionUser(b), provider).toBeNull();
      expect(await userRow(email), provider).toBeNull();
    }
  });

  it("an error answer from the token endpoint: invalid_code", async () => {
    for (const provider of ["github", "google"] as const) {
      const email = uniqueEmail(`tokenerr-${provider}`);
      if (provider === "github") github.signInAs({ email });
      else google.signInAs({ email });
      standIn(provider).failTokenExchange();
      const b = browser();
      const landed = await signInWith(b, provider);
      expect(landed.pathname, provider).toBe("/sign-in");
      expect(landed.searchParams.get("error"), provider).toBe("invalid_code");
      expect(await sessionUser(b), provider).toBeNull();
      expect(await userRow(email), provider).toBeNull();
    }
  });

  it("a callback whose state this browser did not start is refused", async () => {
    google.signInAs({ email: uniqueEmail("forged") });
    const authorize = await start(browser(), "/sign-in/social", {
      provider: "google",
      callbackURL: "/",
      errorCallbackURL: "/sign-in",
    });
    const back = await google.approve(authorize);
    // Another browser (no state cookie) opens the callback: no session from someone else's code.
    const other = browser();
    const res = await other.open(back);
    expect(res.status).toBe(302);
    const landed = new URL(res.headers.get("location")!, "http://x");
    expect(landed.pathname).toBe("/sign-in");
    expect(landed.searchParams.get("error")).toBe("state_mismatch");
    expect(await sessionUser(other)).toBeNull();
  });
});

describe("linking a provider identity to an existing account", () => {
  it("signing in with a verified, matching address links to the existing user", async () => {
    const { email, id } = await passwordUser();
    google.signInAs({ email: email.toUpperCase() });
    const b = browser();
    expect((await signInWith(b, "google")).pathname).toBe("/");
    expect((await sessionUser(b))!.id).toBe(id);
    expect((await accountsOf(id)).map((a) => a.providerId).sort()).toEqual(["credential", "google"]);
  });

  it("an unverified provider address never links (nor takes over)", async () => {
    const { email, id } = await passwordUser();
    github.signInAs({ email, verified: false });
    const b = browser();
    const landed = await signInWith(b, "github");
    expect(landed.pathname).toBe("/sign-in");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await sessionUser(b)).toBeNull();
    expect((await accountsOf(id)).map((a) => a.providerId)).toEqual(["credential"]);
  });

  it("an account whose own address is unverified is not joined by signing in elsewhere", async () => {
    const { email, id } = await passwordUser({ verified: false });
    google.signInAs({ email });
    const b = browser();
    expect((await signInWith(b, "google")).searchParams.get("error")).toBe("account_not_linked");
    expect(await sessionUser(b)).toBeNull();
    expect((await accountsOf(id)).map((a) => a.providerId)).toEqual(["credential"]);
  });

  it("from Settings → Security: matching verified links; a different or unverified address does not", async () => {
    const { b, email, id } = await passwordUser();
    github.signInAs({ email: uniqueEmail("someone-else") });
    let landed = await linkWith(b, "github");
    expect(landed.pathname).toBe("/acme/settings/security");
    expect(landed.searchParams.get("error")).toBe("email_does_not_match");

    github.signInAs({ email, verified: false });
    landed = await linkWith(b, "github");
    expect(landed.searchParams.get("error")).toBe("unable_to_link_account");
    expect((await accountsOf(id)).map((a) => a.providerId)).toEqual(["credential"]);

    const who = github.signInAs({ email });
    landed = await linkWith(b, "github");
    expect(landed.searchParams.get("linked")).toBe("github");
    expect(landed.searchParams.get("error")).toBeNull();
    const linked = (await accountsOf(id)).find((a) => a.providerId === "github");
    expect(linked?.accountId).toBe(String(who.id));

    // That GitHub identity now signs in to this user.
    const elsewhere = browser();
    expect((await signInWith(elsewhere, "github")).pathname).toBe("/");
    expect((await sessionUser(elsewhere))!.id).toBe(id);
  });

  it("an identity linked to one user cannot be linked to another", async () => {
    const a = await passwordUser();
    const who = github.signInAs({ email: a.email });
    expect((await linkWith(a.b, "github")).searchParams.get("linked")).toBe("github");
    // Same GitHub account (same id), now claiming the second user's address.
    const b = await passwordUser();
    github.signInAs({ email: b.email, id: who.id });
    const landed = await linkWith(b.b, "github");
    expect(landed.searchParams.get("error")).toBe("account_already_linked_to_different_user");
    expect((await accountsOf(b.id)).map((x) => x.providerId)).toEqual(["credential"]);
  });
});

describe("unlinking keeps a way in", () => {
  const methods = (b: TestBrowser) => b.trpc("query", "auth.signInMethods");
  const unlink = async (b: TestBrowser, accountId: string) => {
    const res = await b.auth("/unlink-account", { accountId });
    return { status: res.status, body: (await res.json()) as { code?: string; message?: string } };
  };

  it("the only way in cannot be unlinked; with a second provider or a passkey it can", async () => {
    const email = uniqueEmail("only-github");
    github.signInAs({ email });
    const b = browser();
    await signInWith(b, "github");
    const user = (await sessionUser(b))!;
    const [gh] = await accountsOf(user.id);

    const view = await methods(b);
    expect(view.data).toMatchObject({
      password: false,
      passkeys: 0,
      providers: [
        { id: "google", linked: null },
        { id: "github", linked: { id: gh!.id, canUnlink: false } },
      ],
    });
    const refused = await unlink(b, gh!.id);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe("LAST_SIGN_IN_METHOD");
    expect(refused.body.message).toMatch(/only way to sign in/);
    expect(await accountsOf(user.id)).toHaveLength(1);

    // Google, same verified address, linked from Settings → Security: now either can go.
    google.signInAs({ email });
    expect((await linkWith(b, "google")).searchParams.get("linked")).toBe("google");
    expect(await unlink(b, gh!.id)).toMatchObject({ status: 200 });
    const [goog] = await accountsOf(user.id);
    expect(goog!.providerId).toBe("google");
    expect((await unlink(b, goog!.id)).body.code).toBe("LAST_SIGN_IN_METHOD");

    // A passkey is a way in too.
    await h.db.insert(passkeys).values({
      userId: user.id,
      publicKey: "pk",
      credentialID: `cred-${user.id}`,
      counter: 0,
      deviceType: "singleDevice",
      backedUp: false,
    });
    expect((await methods(b)).data).toMatchObject({ passkeys: 1 });
    expect(await unlink(b, goog!.id)).toMatchObject({ status: 200 });
    expect(await accountsOf(user.id)).toHaveLength(0);
  });

  it("with a password, a provider can be unlinked; the password itself is not unlinked here", async () => {
    const { b, email, id } = await passwordUser();
    google.signInAs({ email });
    await linkWith(b, "google");
    const all = await accountsOf(id);
    const goog = all.find((a) => a.providerId === "google")!;
    const credential = all.find((a) => a.providerId === "credential")!;
    expect((await methods(b)).data).toMatchObject({
      password: true,
      providers: [
        { id: "google", linked: { id: goog.id, canUnlink: true } },
        { id: "github", linked: null },
      ],
    });
    expect((await unlink(b, credential.id)).body.code).toBe("ACCOUNT_NOT_FOUND");
    expect(await unlink(b, goog.id)).toMatchObject({ status: 200 });
    expect((await accountsOf(id)).map((a) => a.providerId)).toEqual(["credential"]);
  });

  it("one user cannot see or unlink another user's identities", async () => {
    const a = await passwordUser();
    google.signInAs({ email: a.email });
    await linkWith(a.b, "google");
    const aGoogle = (await accountsOf(a.id)).find((x) => x.providerId === "google")!;
    const other = await passwordUser();
    const refused = await unlink(other.b, aGoogle.id);
    expect(refused.status).toBe(400);
    expect(
      await h.db
        .select()
        .from(accounts)
        .where(and(eq(accounts.id, aGoogle.id), eq(accounts.userId, a.id))),
    ).toHaveLength(1);
    const view = await methods(other.b);
    expect(view.data).toMatchObject({
      providers: [
        { id: "google", linked: null },
        { id: "github", linked: null },
      ],
    });
    // Signed out: no view at all.
    expect((await methods(browser())).error?.data.code).toBe("UNAUTHORIZED");
  });
});

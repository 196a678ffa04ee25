import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { users, workspaceMembers } from "@/server/db/schema";
import {
  OIDC_TEST_CLIENT_ID,
  OIDC_TEST_CLIENT_SECRET,
  type OidcServer,
  startOidcServer,
} from "../fixtures/oidc-server";
import {
  GITHUB_CLIENT_ID,
  GITHUB_CLIENT_SECRET,
  type GithubStandIn,
  startGithubStandIn,
} from "../fixtures/stand-ins/github";
import { BASE, routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser, createWorkspace, uniqueEmail } from "../helpers/fixtures";

/*
 * Issue 18 item 5: an invitation is answered by the invited address, verified — whichever way in
 * the invitee used. GitHub and an OpenID Connect provider (the real oidc-provider) create the
 * accounts here; SIGNUP=invite lets exactly the invited address in through them.
 */

const h = await setupTestDb();
routeHandlersUse(h);
const g = globalThis as unknown as { organicAuth?: unknown };
let github: GithubStandIn;
let idp: OidcServer;
let ipSeq = 1;
const browser = () => new TestBrowser(`198.51.100.${ipSeq++}`);
const providerEnv: Record<string, string> = {};

beforeAll(async () => {
  [github, idp] = await Promise.all([
    startGithubStandIn(),
    startOidcServer({ redirectUris: [`${BASE}/api/auth/callback/oidc`] }),
  ]);
  Object.assign(providerEnv, {
    GITHUB_CLIENT_ID,
    GITHUB_CLIENT_SECRET,
    GITHUB_AUTH_BASE_URL: github.url,
    GITHUB_API_BASE_URL: github.url,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: OIDC_TEST_CLIENT_ID,
    OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT_SECRET,
  });
  Object.assign(process.env, providerEnv);
  resetEnvCache();
  g.organicAuth = undefined;
});
afterAll(async () => {
  for (const k of Object.keys(providerEnv)) delete process.env[k];
  delete process.env.SIGNUP;
  resetEnvCache();
  g.organicAuth = undefined;
  await Promise.all([github?.close(), idp?.close()]);
});
afterEach(() => {
  delete process.env.SIGNUP;
  resetEnvCache();
});

/** Signs in through `provider` as whoever the provider is told to be; where the callback lands. */
async function signInWith(b: TestBrowser, provider: "github" | "oidc", login?: string) {
  const start = await b.auth("/sign-in/social", {
    provider,
    callbackURL: "/",
    newUserCallbackURL: "/onboarding",
    errorCallbackURL: "/sign-in",
  });
  expect(start.status).toBe(200);
  const { url } = (await start.json()) as { url: string };
  const back = provider === "github" ? await github.approve(url) : await idp.approve(url, login!);
  const res = await b.open(back);
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!, BASE);
}

async function invitation(email: string) {
  const owner = await createUser(h.db, { email: uniqueEmail("inv-owner") });
  const ws = await createWorkspace(h.db, owner, { name: "Invite Co" });
  const created = await callerFor(h.db, owner).workspace.invitations.create({
    workspaceId: ws.id,
    email,
    role: "member",
  });
  return { ws, token: created.url.split("/invitations/")[1]! };
}

const userRow = async (email: string) => (await h.db.select().from(users).where(eq(users.email, email)))[0]!;
const accept = (user: { id: string; email: string; name: string | null }, token: string) =>
  callerFor(h.db, user).workspace.invitations.accept({ token });
const membership = async (workspaceId: string, userId: string) =>
  (await h.db.select().from(workspaceMembers).where(eq(workspaceMembers.userId, userId))).filter(
    (m) => m.workspaceId === workspaceId,
  );

describe("answering an invitation after signing in with a provider", () => {
  it("GitHub (SIGNUP=invite): the invited, verified address gets in and joins", async () => {
    process.env.SIGNUP = "invite";
    resetEnvCache();
    const email = uniqueEmail("gh-invitee");
    const { ws, token } = await invitation(email);
    github.signInAs({ email });
    const landed = await signInWith(browser(), "github");
    expect(landed.pathname).toBe("/onboarding");
    const user = await userRow(email);
    expect(user.emailVerified).toBe(true);
    await expect(accept(user, token)).resolves.toMatchObject({ workspace: { id: ws.id } });
    expect(await membership(ws.id, user.id)).toEqual([expect.objectContaining({ role: "member" })]);
  });

  it("SSO with the invited address the provider does not say is verified: the answer waits for verification", async () => {
    const email = uniqueEmail("sso-unverified");
    const { ws, token } = await invitation(email);
    idp.setUser(email, { email, email_verified: false });
    await signInWith(browser(), "oidc", email);
    const user = await userRow(email);
    expect(user.emailVerified).toBe(false);
    await expect(accept(user, token)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("Verify your email address first"),
    });
    expect(await membership(ws.id, user.id)).toEqual([]);
  });

  it("SSO as another address: refused, the invitation stays pending", async () => {
    const invited = uniqueEmail("sso-invited");
    const other = uniqueEmail("sso-other");
    const { ws, token } = await invitation(invited);
    await signInWith(browser(), "oidc", other);
    const user = await userRow(other);
    expect(user.emailVerified).toBe(true);
    await expect(accept(user, token)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await membership(ws.id, user.id)).toEqual([]);
    // The invited address can still answer it.
    await signInWith(browser(), "oidc", invited);
    const invitee = await userRow(invited);
    await expect(accept(invitee, token)).resolves.toMatchObject({ workspace: { id: ws.id } });
  });

  it("SIGNUP=invite: a provider sign-in by an address nobody invited creates no account", async () => {
    process.env.SIGNUP = "invite";
    resetEnvCache();
    const stranger = uniqueEmail("sso-stranger");
    const landed = await signInWith(browser(), "oidc", stranger);
    expect(landed.pathname).toBe("/sign-in");
    expect(landed.searchParams.get("error")).toBeTruthy();
    expect(await h.db.select().from(users).where(eq(users.email, stranger))).toEqual([]);
  });
});

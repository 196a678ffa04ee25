import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetMailer } from "@/lib/mailer";
import { accounts, activityLogs, sessions, users, workspaceMembers, workspaces } from "@/server/db/schema";
import { withWorkspace } from "@/server/http/with-workspace";
import {
  OIDC_TEST_CLIENT_ID,
  OIDC_TEST_CLIENT_SECRET,
  type OidcServer,
  startOidcServer,
} from "../fixtures/oidc-server";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { BASE, routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";

/**
 * Issue 18 item 3: company SSO through a real OpenID Connect provider (oidc-provider on 127.0.0.1)
 * and the real better-auth handler over HTTP, and the per-workspace rules (SSO required, auto-join
 * by domain).
 */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
const g = globalThis as unknown as { organicAuth?: unknown };
let idp: OidcServer;
let ipSeq = 1;
const browser = () => new TestBrowser(`192.0.2.${100 + (ipSeq++ % 150)}`);
const suffix = () => randomUUID().slice(0, 8);
/** A domain of this test's own, so shared-database runs never meet another file's rows. */
const ownDomain = () => `acme-${suffix()}.test`;

beforeAll(async () => {
  idp = await startOidcServer({ redirectUris: [`${BASE}/api/auth/callback/oidc`] });
  Object.assign(process.env, {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: OIDC_TEST_CLIENT_ID,
    OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT_SECRET,
    OIDC_NAME: "Acme SSO",
  });
  resetEnvCache();
  g.organicAuth = undefined;
});
afterAll(async () => {
  for (const k of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_NAME"]) delete process.env[k];
  resetEnvCache();
  g.organicAuth = undefined;
  await idp.close();
});
afterEach(() => {
  delete process.env.SIGNUP;
  delete process.env.SMTP_URL;
  resetEnvCache();
  resetMailer();
});

/** "Sign in with Acme SSO" end to end: where the app's callback sends the browser. */
async function ssoSignIn(b: TestBrowser, login: string): Promise<URL> {
  const start = await b.auth("/sign-in/social", {
    provider: "oidc",
    callbackURL: "/",
    newUserCallbackURL: "/onboarding",
    errorCallbackURL: "/sign-in",
  });
  expect(start.status).toBe(200);
  const { url } = (await start.json()) as { url: string };
  const back = await idp.approve(url, login);
  expect(back).toMatch(`${BASE}/api/auth/callback/oidc?`);
  const res = await b.open(back);
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!, BASE);
}

async function passwordUser(email: string) {
  const b = browser();
  const up = await b.auth("/sign-up/email", { email, password: PASSWORD, name: "Password User" });
  expect(up.status).toBe(200);
  await h.db.update(users).set({ emailVerified: true }).where(eq(users.email, email));
  return b;
}

const userByEmail = async (email: string) =>
  (await h.db.select().from(users).where(eq(users.email, email)))[0] ?? null;
const sessionsOf = (userId: string) => h.db.select().from(sessions).where(eq(sessions.userId, userId));

describe("sign-in through the OIDC provider", () => {
  it("discovery, authorization code with PKCE, state and nonce: a new user gets a session marked oidc", async () => {
    const email = `sso-new-${suffix()}@example.test`;
    const b = browser();
    const landed = await ssoSignIn(b, email);
    expect(landed.pathname).toBe("/onboarding");

    const request = idp.authorizationRequests.at(-1)!;
    expect(request.client_id).toBe(OIDC_TEST_CLIENT_ID);
    expect(request.code_challenge_method).toBe("S256");
    expect(request.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.nonce?.length).toBeGreaterThanOrEqual(16);
    expect(request.state?.length).toBeGreaterThanOrEqual(16);
    expect(request.scope?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    expect(request.redirect_uri).toBe(`${BASE}/api/auth/callback/oidc`);

    const user = await userByEmail(email);
    expect(user).toMatchObject({ emailVerified: true });
    const [session] = await sessionsOf(user!.id);
    expect(session?.signInMethod).toBe("oidc");
    const [account] = await h.db.select().from(accounts).where(eq(accounts.userId, user!.id));
    expect(account).toMatchObject({ providerId: "oidc", accountId: email });

    const me = await b.auth("/get-session");
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(email);
  });

  it("refuses an ID token signed with a key that is not in the provider's JWKS", async () => {
    const email = `sso-forged-${suffix()}@example.test`;
    idp.tamperNext("foreign-key");
    const b = browser();
    const landed = await ssoSignIn(b, email);
    expect(landed.pathname).toBe("/sign-in");
    expect(landed.searchParams.get("error")).toBe("unable_to_get_user_info");
    expect(await userByEmail(email)).toBeNull();
    expect(b.hasCookie("session_token")).toBe(false);
  });

  it("refuses an ID token whose nonce is not the one sent", async () => {
    const email = `sso-nonce-${suffix()}@example.test`;
    idp.tamperNext("wrong-nonce");
    const landed = await ssoSignIn(browser(), email);
    expect(landed.pathname).toBe("/sign-in");
    expect(landed.searchParams.get("error")).toBe("unable_to_get_user_info");
    expect(await userByEmail(email)).toBeNull();
  });

  it("a callback whose state is not this browser's is refused", async () => {
    const email = `sso-state-${suffix()}@example.test`;
    const start = await browser().auth("/sign-in/social", { provider: "oidc", callbackURL: "/" });
    const { url } = (await start.json()) as { url: string };
    const back = await idp.approve(url, email);
    // Another browser (without the state cookie) brings the code back.
    const res = await browser().open(back);
    expect(res.headers.get("location")).toMatch(/error=/);
    expect(await userByEmail(email)).toBeNull();
  });

  it("links to an existing account only when the provider says the address is verified", async () => {
    const email = `sso-link-${suffix()}@example.test`;
    const existing = await createUser(h.db, { email });
    const unverifiedLogin = `unverified-${suffix()}`;
    idp.setUser(unverifiedLogin, { email, email_verified: false });
    const refused = await ssoSignIn(browser(), unverifiedLogin);
    expect(refused.pathname).toBe("/sign-in");
    expect(refused.searchParams.get("error")).toBe("account_not_linked");
    expect(await h.db.select().from(accounts).where(eq(accounts.userId, existing.id))).toEqual([]);

    const verifiedLogin = `verified-${suffix()}`;
    idp.setUser(verifiedLogin, { email, email_verified: true });
    const linked = await ssoSignIn(browser(), verifiedLogin);
    expect(linked.pathname).toBe("/");
    const [account] = await h.db.select().from(accounts).where(eq(accounts.userId, existing.id));
    expect(account).toMatchObject({ providerId: "oidc", accountId: verifiedLogin });
  });

  it("SIGNUP=closed: a new SSO user gets no account", async () => {
    process.env.SIGNUP = "closed";
    resetEnvCache();
    const email = `sso-closed-${suffix()}@example.test`;
    const landed = await ssoSignIn(browser(), email);
    expect(landed.pathname).toBe("/sign-in");
    expect(landed.searchParams.get("error")).toBe("SIGN_UP_NOT_ALLOWED");
    expect(await userByEmail(email)).toBeNull();
  });
});

describe("a workspace that requires SSO", () => {
  it("only an admin signed in through SSO can require it; then members' passwords and password sessions are refused", async () => {
    const domain = ownDomain();
    const adminEmail = `admin@${domain}`;
    const memberEmail = `member-${suffix()}@example.test`;

    // The admin has a password too: signed in with it, they may not switch SSO on.
    const adminByPassword = await passwordUser(adminEmail);
    const admin = (await userByEmail(adminEmail))!;
    const ws = await createWorkspace(
      h.db,
      { id: admin.id, email: adminEmail, name: "Admin" },
      {
        name: `SSO Corp ${suffix()}`,
      },
    );
    expect(
      (await adminByPassword.auth("/sign-in/email", { email: adminEmail, password: PASSWORD })).status,
    ).toBe(200);
    const settings = { workspaceId: ws.id, ssoRequired: true, autoJoinDomain: null, autoJoinRole: "member" };
    const byPassword = await adminByPassword.trpc("mutation", "workspace.sso.update", settings);
    expect(byPassword.error?.data.code).toBe("FORBIDDEN");
    expect(byPassword.error?.message).toMatch(/Sign in with Acme SSO first/);

    // A member signed in with a password before the rule, still holding that session.
    const member = await passwordUser(memberEmail);
    const memberRow = (await userByEmail(memberEmail))!;
    await h.db.insert(workspaceMembers).values({ workspaceId: ws.id, userId: memberRow.id, role: "member" });
    expect((await member.auth("/sign-in/email", { email: memberEmail, password: PASSWORD })).status).toBe(
      200,
    );
    expect((await member.trpc("query", "workspace.members.list", { workspaceId: ws.id })).status).toBe(200);

    // Signed in through SSO (linked: both addresses verified), the admin switches it on.
    const adminBySso = browser();
    await ssoSignIn(adminBySso, adminEmail);
    const on = await adminBySso.trpc("mutation", "workspace.sso.update", settings);
    expect(on.error).toBeUndefined();
    expect(on.data).toMatchObject({ ssoRequired: true, providerName: "Acme SSO" });
    expect((await adminBySso.trpc("query", "workspace.members.list", { workspaceId: ws.id })).status).toBe(
      200,
    );

    // The member's password session no longer opens the workspace …
    const opened = await member.trpc("query", "workspace.members.list", { workspaceId: ws.id });
    expect(opened.error?.data.code).toBe("FORBIDDEN");
    expect(opened.error?.message).toBe(
      `${ws.name} requires signing in with Acme SSO. Sign out, then choose “Sign in with Acme SSO”.`,
    );
    // … nor does the admin's own password session,
    expect((await adminByPassword.trpc("query", "workspace.sso.get", { workspaceId: ws.id })).status).toBe(
      403,
    );
    // Cookie-authenticated route handlers (downloads, uploads, live updates) refuse it the same way.
    const route = withWorkspace({ minRole: "viewer" }, async () => new Response("in"));
    const fetchRoute = (b: TestBrowser) =>
      route(
        new Request(`${BASE}/api/x?workspaceId=${ws.id}`, {
          headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
        }),
      );
    const refusedRoute = await fetchRoute(member);
    expect(refusedRoute.status).toBe(403);
    expect(await refusedRoute.text()).toMatch("requires signing in with Acme SSO");
    expect((await fetchRoute(adminBySso)).status).toBe(200);
    // and a password sign-in by a member is refused with the same words.
    const signIn = await browser().auth("/sign-in/email", { email: memberEmail, password: PASSWORD });
    expect(signIn.status).toBe(403);
    const body = (await signIn.json()) as { message: string; code: string };
    expect(body.code).toBe("SSO_REQUIRED");
    expect(body.message).toBe(
      `${ws.name} requires signing in with Acme SSO. Use “Sign in with Acme SSO” instead.`,
    );

    // Signed in through SSO, the member is in.
    const memberBySso = browser();
    await ssoSignIn(memberBySso, memberEmail);
    expect((await memberBySso.trpc("query", "workspace.members.list", { workspaceId: ws.id })).status).toBe(
      200,
    );
  });

  it("another workspace's admin cannot change this workspace's SSO settings", async () => {
    const ownerA = await createUser(h.db);
    const wsA = await createWorkspace(h.db, ownerA, { name: `A ${suffix()}` });
    const adminB = browser();
    const adminBEmail = `admin-b-${suffix()}@example.test`;
    await ssoSignIn(adminB, adminBEmail);
    const b = (await userByEmail(adminBEmail))!;
    await createWorkspace(h.db, { id: b.id, email: b.email, name: b.name }, { name: `B ${suffix()}` });
    const res = await adminB.trpc("mutation", "workspace.sso.update", {
      workspaceId: wsA.id,
      ssoRequired: true,
      autoJoinDomain: null,
      autoJoinRole: "admin",
    });
    expect(res.error?.data.code).toBe("NOT_FOUND");
    const [row] = await h.db.select().from(workspaces).where(eq(workspaces.id, wsA.id));
    expect(row).toMatchObject({ ssoRequired: false, autoJoinDomain: null });
  });
});

describe("auto-join by a verified email domain", () => {
  it("a verified address at the domain joins with the chosen role on sign-in or on verifying; public and foreign domains are refused", async () => {
    const domain = ownDomain();
    const adminEmail = `boss@${domain}`;
    const admin = browser();
    await ssoSignIn(admin, adminEmail);
    const adminRow = (await userByEmail(adminEmail))!;
    const ws = await createWorkspace(
      h.db,
      { id: adminRow.id, email: adminEmail, name: "Boss" },
      {
        name: `Auto ${suffix()}`,
      },
    );
    const set = (autoJoinDomain: string) =>
      admin.trpc("mutation", "workspace.sso.update", {
        workspaceId: ws.id,
        ssoRequired: false,
        autoJoinDomain,
        autoJoinRole: "viewer",
      });
    const publicDomain = await set("gmail.com");
    expect(publicDomain.error?.data.code).toBe("BAD_REQUEST");
    expect(publicDomain.error?.message).toMatch(/public mail service/);
    const foreign = await set(ownDomain());
    expect(foreign.error?.message).toMatch(/your own email address/);
    expect((await set(domain)).data).toMatchObject({ autoJoinDomain: domain, autoJoinRole: "viewer" });

    // A colleague signs in through SSO for the first time: a viewer, recorded in the activity log.
    const colleagueEmail = `colleague-${suffix()}@${domain}`;
    await ssoSignIn(browser(), colleagueEmail);
    const colleague = (await userByEmail(colleagueEmail))!;
    const [membership] = await h.db
      .select()
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.workspaceId, ws.id), eq(workspaceMembers.userId, colleague.id)));
    expect(membership?.role).toBe("viewer");
    const [logged] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, ws.id), eq(activityLogs.action, "member.auto_joined")));
    expect(logged).toMatchObject({ userId: colleague.id, metadata: { domain, role: "viewer" } });

    // An unverified address at the domain does not join, even by password; verifying it does.
    const sink: SmtpSink = await startSmtpSink();
    try {
      process.env.SMTP_URL = sink.url;
      resetEnvCache();
      resetMailer();
      const unverifiedEmail = `newbie-${suffix()}@${domain}`;
      const b = browser();
      expect(
        (await b.auth("/sign-up/email", { email: unverifiedEmail, password: PASSWORD, name: "N" })).status,
      ).toBe(200);
      expect((await b.auth("/sign-in/email", { email: unverifiedEmail, password: PASSWORD })).status).toBe(
        200,
      );
      const newbie = (await userByEmail(unverifiedEmail))!;
      const roleOfNewbie = async () =>
        (
          await h.db
            .select({ role: workspaceMembers.role })
            .from(workspaceMembers)
            .where(and(eq(workspaceMembers.workspaceId, ws.id), eq(workspaceMembers.userId, newbie.id)))
        )[0]?.role ?? null;
      expect(await roleOfNewbie()).toBeNull();

      await h.queue.drain();
      const mails = await Promise.all(sink.for(unverifiedEmail).map((m) => sink.parse(m)));
      const link = mails
        .find((m) => /verify/i.test(m.subject ?? ""))
        ?.text?.match(/https?:\/\/\S+verify-email\S+/)?.[0];
      expect(link).toBeTruthy();
      expect((await b.open(link!)).status).toBe(302);
      expect(await roleOfNewbie()).toBe("viewer");
    } finally {
      // The mailer keeps its SMTP connection open: close it first, or the sink waits for it.
      delete process.env.SMTP_URL;
      resetEnvCache();
      resetMailer();
      await sink.close();
    }
  });
});

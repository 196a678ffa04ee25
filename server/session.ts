import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { parseCookies } from "better-call";
import { sql } from "drizzle-orm";
import { headers } from "next/headers";
import { cache } from "react";
import type { SessionUser } from "./api/trpc";
import { type Auth, getAuth, SESSION_MAX_AGE_SECONDS } from "./auth";
import { getDb } from "./db";
import { preparedStatement } from "./db/prepared";
import { rowsOf } from "./db/raw-rows";
import { type Role, sessions, users, workspaceMembers, workspaces } from "./db/schema";

/*
 * Every signed-in request asks who its user is. better-auth's getSession answers that at about
 * 1.4 ms of CPU (an endpoint context per call, the signed cookie checked through WebCrypto, the
 * adapter's query building), more than the rest of a tRPC list call. The common case is read here
 * directly, at a fraction of that: the same cookie, the same signature check, the session and its
 * user in one prepared statement. Anything that would make better-auth write or differ (a session
 * past its expiry, which it deletes, or due for its sliding refresh, which it extends) is handed
 * to better-auth itself, so the answer and every side effect stay exactly better-auth's.
 */

interface SessionCookie {
  name: string;
  secret: string;
  expiresInMs: number;
  updateAgeMs: number;
}

const cookieSettings = new WeakMap<Auth, Promise<SessionCookie>>();

/** The session cookie's name, the signing secret and the refresh rule, from better-auth's own context. */
function sessionCookieOf(auth: Auth): Promise<SessionCookie> {
  let settings = cookieSettings.get(auth);
  if (!settings) {
    settings = auth.$context.then((ctx) => ({
      name: ctx.authCookies.sessionToken.name,
      secret: ctx.secret,
      expiresInMs: ctx.sessionConfig.expiresIn * 1000,
      updateAgeMs: ctx.sessionConfig.updateAge * 1000,
    }));
    cookieSettings.set(auth, settings);
  }
  return settings;
}

/**
 * The session token of a signed cookie value (`token.base64(HMAC-SHA256(secret, token))`, as
 * better-call signs it), or null when the value or its signature is not right.
 */
export function verifiedToken(value: string | undefined, secret: string): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf(".");
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith("=")) return null;
  const expected = createHmac("sha256", secret).update(token).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

const SESSION_COLUMNS = sql`(extract(epoch from s.expires_at) * 1000)::float8 as expires_ms,
      (extract(epoch from s.created_at) * 1000)::float8 as created_ms, s.sign_in_method, u.id, u.email, u.name, u.email_verified`;

/** Built once: the session of a token and the user it belongs to. */
const sessionOfToken = preparedStatement<{ token: string }>(
  () => sql`select ${SESSION_COLUMNS}
    from ${sessions} s join ${users} u on u.id = s.user_id
    where s.token = ${sql.placeholder("token")}`,
);

/**
 * Built once: the same, with every membership of the user ([workspace id, membership id, role,
 * workspace name, its SSO rule]), for tRPC, whose calls each check one: a statement fewer per call.
 */
const sessionAndMembershipsOfToken = preparedStatement<{ token: string }>(
  () => sql`select ${SESSION_COLUMNS}, coalesce((
      select json_agg(json_build_array(m.workspace_id, m.id, m.role, w.name, w.sso_required))
      from ${workspaceMembers} m join ${workspaces} w on w.id = m.workspace_id
      where m.user_id = u.id), '[]'::json) as memberships
    from ${sessions} s join ${users} u on u.id = s.user_id
    where s.token = ${sql.placeholder("token")}`,
);

interface SessionRow {
  expires_ms: number;
  created_ms: number;
  sign_in_method: string | null;
  id: string;
  email: string;
  name: string | null;
  email_verified: boolean;
  memberships?: [string, string, Role, string, boolean][];
}

/** A user's membership of one workspace, as a workspace procedure checks it (getMembership). */
export interface SessionMembership {
  id: string;
  role: Role;
  name: string;
  ssoRequired: boolean;
}

/** Outside the session's absolute lifetime (sliding expiry is the idle timeout; this is the other). */
const pastMaxAge = (createdMs: number) => Date.now() - createdMs > SESSION_MAX_AGE_SECONDS * 1000;

/** The signed-in user for a request's headers, validated against the sessions table. */
export async function getSessionUser(h: Headers): Promise<SessionUser | null> {
  return (await readSession(h, false))?.user ?? null;
}

/**
 * The signed-in user and, read in the same statement, each workspace they belong to (by workspace
 * id). `memberships` is null when the session went through better-auth (expired, or due for its
 * refresh): a caller then asks for each membership itself.
 */
export async function getSessionUserAndMemberships(
  h: Headers,
): Promise<{ user: SessionUser; memberships: Map<string, SessionMembership> | null } | null> {
  return readSession(h, true);
}

async function readSession(h: Headers, withMemberships: boolean) {
  const auth = await getAuth();
  const cookie = h.get("cookie");
  if (!cookie) return null;
  const settings = await sessionCookieOf(auth);
  const token = verifiedToken(parseCookies(cookie).get(settings.name), settings.secret);
  // No valid signed cookie: better-auth answers null too, without touching the database.
  if (!token) return null;
  const statement = withMemberships ? sessionAndMembershipsOfToken : sessionOfToken;
  const [row] = rowsOf<SessionRow>(await statement(await getDb(), { token }));
  // An unknown or revoked token: null, as better-auth answers.
  if (!row) return null;
  const now = Date.now();
  const expired = row.expires_ms < now;
  const dueForRefresh = row.expires_ms - settings.expiresInMs + settings.updateAgeMs <= now;
  if (expired || dueForRefresh) {
    const user = await sessionUserFromBetterAuth(auth, h);
    return user ? { user, memberships: null } : null;
  }
  if (pastMaxAge(row.created_ms)) return null;
  const user: SessionUser = {
    id: row.id,
    email: row.email,
    name: row.name || null,
    signInMethod: row.sign_in_method ?? null,
    emailVerified: row.email_verified,
  };
  const memberships = new Map<string, SessionMembership>();
  for (const [workspaceId, id, role, name, ssoRequired] of row.memberships ?? [])
    memberships.set(workspaceId, { id, role, name, ssoRequired });
  return { user, memberships };
}

/** The same answer through better-auth's getSession, which also deletes or extends the session. */
async function sessionUserFromBetterAuth(auth: Auth, h: Headers): Promise<SessionUser | null> {
  const session = await auth.api.getSession({ headers: h });
  if (!session) return null;
  if (pastMaxAge(new Date(session.session.createdAt).getTime())) return null;
  return {
    id: session.user.id,
    email: session.user.email,
    name: session.user.name || null,
    signInMethod: session.session.signInMethod ?? null,
    emailVerified: session.user.emailVerified,
  };
}

/**
 * For server components: the current request's user, looked up once per request (React cache): the
 * layout, the page and the page's prefetches all ask.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => getSessionUser(await headers()));

/** Moved to request-info.ts (one rule for which host a request may name); kept for its callers. */
export { requestBaseUrl } from "./request-info";

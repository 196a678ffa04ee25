import "server-only";
import { headers } from "next/headers";
import type { SessionUser } from "./api/trpc";
import { getAuth, SESSION_MAX_AGE_SECONDS } from "./auth";

/** The signed-in user for a request's headers, validated against the sessions table. */
export async function getSessionUser(h: Headers): Promise<SessionUser | null> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: h });
  if (!session) return null;
  // Sliding expiry is the idle timeout; this is the absolute one.
  if (Date.now() - new Date(session.session.createdAt).getTime() > SESSION_MAX_AGE_SECONDS * 1000)
    return null;
  return { id: session.user.id, email: session.user.email, name: session.user.name || null };
}

/** For server components: the current request's user. */
export async function currentUser(): Promise<SessionUser | null> {
  return getSessionUser(await headers());
}

export function requestBaseUrl(h: Headers): string {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, "");
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto.split(",")[0]}://${host.split(",")[0]}`;
}

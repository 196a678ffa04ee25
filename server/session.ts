import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
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

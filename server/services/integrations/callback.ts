import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { workspaces } from "@/server/db/schema";
import { DomainError } from "@/server/errors";
import { isIntegrationError } from "@/server/integrations/http";
import { getMembership, hasRole } from "../workspaces";
import { OAUTH_CONNECTORS } from "./connectors";
import { consumeOAuthState, OAuthStateError, peekOAuthState } from "./oauth-state";
import type { OAuthProvider } from "./schemas";

export type CallbackOutcome = { redirect: string } | { status: 400 | 401; message: string };

/**
 * An OAuth callback (framework-free: the route hands over the URL and the signed-in user). Refuses
 * a missing session, a replayed, expired or foreign state, and a user who is no longer an admin of
 * the workspace; on success sends the browser back to the Integrations page.
 */
export async function handleOAuthCallback(
  db: Db,
  p: {
    provider: OAuthProvider;
    url: URL;
    userId: string | null;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<CallbackOutcome> {
  if (!p.userId) return { status: 401, message: "Sign in to Organic, then connect again from Integrations." };
  const state = p.url.searchParams.get("state") ?? "";
  const code = p.url.searchParams.get("code");
  const providerError = p.url.searchParams.get("error");
  try {
    if (!code || providerError) {
      // Consume the state anyway (it is single-use) to know where to send the user back.
      const pending = await consumeOAuthState(db, { state, userId: p.userId, provider: p.provider });
      const reason = providerError === "access_denied" ? "denied" : "failed";
      return { redirect: await backTo(db, pending.workspaceId, p.provider, { error: reason }) };
    }
    const peek = await peekOAuthState(db, state);
    if (peek) {
      const membership = await getMembership(db, peek.workspaceId, p.userId);
      if (!membership || !hasRole(membership.role, "admin")) {
        return { status: 400, message: "Only owners and admins of the workspace can connect integrations." };
      }
    }
    const input = { state, code, userId: p.userId, ip: p.ip, userAgent: p.userAgent };
    const done = await OAUTH_CONNECTORS[p.provider].complete(db, input);
    return { redirect: await backTo(db, done.workspaceId, p.provider, { connected: p.provider }) };
  } catch (err) {
    if (err instanceof OAuthStateError) return { status: 400, message: err.message };
    if (err instanceof DomainError || isIntegrationError(err)) {
      const wsId = await peekOAuthState(db, state);
      if (wsId)
        return {
          redirect: await backTo(db, wsId.workspaceId, p.provider, { error: "failed", message: err.message }),
        };
      return { status: 400, message: err.message };
    }
    throw err;
  }
}

async function backTo(db: Db, workspaceId: string, provider: string, query: Record<string, string>) {
  const [ws] = await db
    .select({ slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const q = new URLSearchParams({ provider, ...query });
  return `/${ws?.slug ?? ""}/integrations?${q}`;
}

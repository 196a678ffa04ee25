import "server-only";
import type { Db } from "@/server/db";
import {
  exchangeInstagramCode,
  exchangeLongLivedToken,
  getInstagramUser,
  instagramAuthorizeUrl,
} from "@/server/integrations/instagram/client";
import type { InstagramSecrets } from "@/server/integrations/instagram/token-store";
import { deleteIntegrationRow, getIntegrationRow, saveConnection } from "@/server/integrations/store";
import { logActivity } from "../../activity";
import { consumeOAuthState, createOAuthState, logConnected } from "../oauth-state";
import { appOrThrow } from "./config";

/** Connecting (Business Login for Instagram) and disconnecting the workspace's Instagram account. */

export async function startInstagramConnect(
  db: Db,
  p: { workspaceId: string; userId: string; baseUrl: string },
) {
  const app = await appOrThrow(db);
  const redirectUri = `${p.baseUrl}/api/integrations/instagram/callback`;
  // Instagram Login has no PKCE; the state is what binds the callback to this user and workspace.
  const s = await createOAuthState(db, { ...p, provider: "instagram", redirectUri });
  return { url: instagramAuthorizeUrl({ clientId: app.clientId, redirectUri, state: s.state }) };
}

/**
 * The callback: state checked and consumed, the code exchanged for a short-lived token and that at
 * once (server side, with the app secret) for a 60-day one; the account stored encrypted.
 */
export async function completeInstagramConnect(
  db: Db,
  p: { state: string; code: string; userId: string; ip?: string | null; userAgent?: string | null },
) {
  const pending = await consumeOAuthState(db, { state: p.state, userId: p.userId, provider: "instagram" });
  const app = await appOrThrow(db);
  const short = await exchangeInstagramCode(app, { code: p.code, redirectUri: pending.redirectUri });
  const long = await exchangeLongLivedToken(app, short.access_token);
  const user = await getInstagramUser(long.access_token);
  const userId = user.userId ?? short.user_id;
  if (!userId) throw new Error("Instagram did not say which account was connected");
  const scope =
    typeof short.permissions === "string"
      ? short.permissions
      : Array.isArray(short.permissions)
        ? short.permissions.join(",")
        : null;
  const secrets: InstagramSecrets = {
    accessToken: long.access_token,
    issuedAt: new Date().toISOString(),
    userId,
    scope,
  };
  const row = await saveConnection(db, {
    workspaceId: pending.workspaceId,
    provider: "instagram",
    accountName: user.username,
    accountId: userId,
    secrets,
    settings: { scope, name: user.name },
    tokenExpiresAt: new Date(Date.now() + long.expires_in * 1000),
    connectedBy: p.userId,
  });
  await logConnected(db, row, p);
  return { workspaceId: pending.workspaceId };
}

/**
 * Forgets the account. Instagram Login has no token revocation endpoint: the person removes the app
 * in Instagram's settings (Apps and websites) to revoke it there.
 */
export async function disconnectInstagram(db: Db, p: { workspaceId: string; userId: string | null }) {
  const row = await getIntegrationRow(db, p.workspaceId, "instagram");
  if (!row) return { revoked: false };
  await deleteIntegrationRow(db, p.workspaceId, "instagram");
  await logActivity(db, {
    workspaceId: p.workspaceId,
    userId: p.userId,
    action: "integration.disconnected",
    entityType: "integration",
    entityId: row.id,
    metadata: { provider: "instagram", revoked: false },
  });
  return { revoked: false };
}

import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { deleteIntegrationRow, getIntegrationRow, saveConnection } from "@/server/integrations/store";
import {
  exchangeTikTokCode,
  getTikTokUser,
  revokeTikTokToken,
  tiktokAuthorizeUrl,
} from "@/server/integrations/tiktok/client";
import { readTikTokSecrets, tokenSecrets } from "@/server/integrations/tiktok/token-store";
import { logActivity } from "../../activity";
import { consumeOAuthState, createOAuthState, logConnected } from "../oauth-state";
import { appOrThrow, tiktokApp } from "./config";

/** Connecting (OAuth with PKCE) and disconnecting the workspace's TikTok account. */

export async function startTikTokConnect(
  db: Db,
  p: { workspaceId: string; userId: string; baseUrl: string },
) {
  const app = await appOrThrow(db);
  const redirectUri = `${p.baseUrl}/api/integrations/tiktok/callback`;
  const s = await createOAuthState(db, { ...p, provider: "tiktok", redirectUri });
  return {
    url: tiktokAuthorizeUrl({
      clientKey: app.clientKey,
      redirectUri,
      state: s.state,
      codeChallenge: s.codeChallenge,
    }),
  };
}

/** The callback: state checked and consumed, code exchanged, account stored encrypted. */
export async function completeTikTokConnect(
  db: Db,
  p: { state: string; code: string; userId: string; ip?: string | null; userAgent?: string | null },
) {
  const pending = await consumeOAuthState(db, { state: p.state, userId: p.userId, provider: "tiktok" });
  const app = await appOrThrow(db);
  const token = await exchangeTikTokCode(app, {
    code: p.code,
    redirectUri: pending.redirectUri,
    codeVerifier: pending.codeVerifier,
  });
  const user = await getTikTokUser(token.access_token).catch((err) => {
    logger.warn({ err: String(err) }, "tiktok user info failed after connect");
    return null;
  });
  const row = await saveConnection(db, {
    workspaceId: pending.workspaceId,
    provider: "tiktok",
    accountName: user?.display_name ?? null,
    accountId: token.open_id ?? user?.open_id ?? null,
    secrets: tokenSecrets(token),
    settings: { scope: token.scope ?? null, avatarUrl: user?.avatar_url ?? null },
    tokenExpiresAt: new Date(Date.now() + token.expires_in * 1000),
    connectedBy: p.userId,
  });
  await logConnected(db, row, p);
  return { workspaceId: pending.workspaceId };
}

export async function disconnectTikTok(db: Db, p: { workspaceId: string; userId: string | null }) {
  const row = await getIntegrationRow(db, p.workspaceId, "tiktok");
  if (!row) return { revoked: false };
  const secrets = readTikTokSecrets(row);
  const app = await tiktokApp(db);
  let revoked = false;
  if (app && secrets) {
    // Best effort: a provider outage must not keep the account connected here.
    revoked = await revokeTikTokToken(app, secrets.accessToken).then(
      () => true,
      (err) => {
        logger.warn({ err: String(err) }, "tiktok revoke failed");
        return false;
      },
    );
  }
  await deleteIntegrationRow(db, p.workspaceId, "tiktok");
  await logActivity(db, {
    workspaceId: p.workspaceId,
    userId: p.userId,
    action: "integration.disconnected",
    entityType: "integration",
    entityId: row.id,
    metadata: { provider: "tiktok", revoked },
  });
  return { revoked };
}

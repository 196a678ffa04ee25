import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { deleteIntegrationRow, getIntegrationRow, saveConnection } from "@/server/integrations/store";
import {
  exchangeYouTubeCode,
  getMyChannel,
  revokeYouTubeToken,
  YOUTUBE_COSTS,
  youtubeAuthorizeUrl,
} from "@/server/integrations/youtube/client";
import { readYouTubeSecrets, youtubeSecrets } from "@/server/integrations/youtube/token-store";
import { logActivity } from "../../activity";
import { consumeOAuthState, createOAuthState, logConnected } from "../oauth-state";
import { appOrThrow, youtubeApp } from "./config";
import { spendQuota } from "./quota";

/** Connecting (Google OAuth with PKCE, offline access) and disconnecting the workspace's YouTube channel. */

export async function startYouTubeConnect(
  db: Db,
  p: { workspaceId: string; userId: string; baseUrl: string },
) {
  const app = await appOrThrow(db);
  const redirectUri = `${p.baseUrl}/api/integrations/youtube/callback`;
  const s = await createOAuthState(db, { ...p, provider: "youtube", redirectUri });
  return {
    url: youtubeAuthorizeUrl({
      clientId: app.clientId,
      redirectUri,
      state: s.state,
      codeChallenge: s.codeChallenge,
    }),
  };
}

/** The callback: state checked and consumed, code exchanged, channel named, tokens stored encrypted. */
export async function completeYouTubeConnect(
  db: Db,
  p: { state: string; code: string; userId: string; ip?: string | null; userAgent?: string | null },
) {
  const pending = await consumeOAuthState(db, { state: p.state, userId: p.userId, provider: "youtube" });
  const app = await appOrThrow(db);
  const token = await exchangeYouTubeCode(app, {
    code: p.code,
    redirectUri: pending.redirectUri,
    codeVerifier: pending.codeVerifier,
  });
  if (!token.refresh_token) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Google did not grant offline access. Remove Organic from your Google account's third-party access and connect again.",
    );
  }
  // Naming the channel is a nicety: a quota or provider failure must not fail the connect.
  const channel = await spendQuota(db, app, YOUTUBE_COSTS.list)
    .then(() => getMyChannel(token.access_token))
    .catch((err) => {
      logger.warn({ err: String(err) }, "youtube channel lookup failed after connect");
      return null;
    });
  const row = await saveConnection(db, {
    workspaceId: pending.workspaceId,
    provider: "youtube",
    accountName: channel?.title ?? null,
    accountId: channel?.id ?? null,
    secrets: youtubeSecrets(token),
    settings: { scope: token.scope ?? null },
    tokenExpiresAt: new Date(Date.now() + token.expires_in * 1000),
    connectedBy: p.userId,
  });
  await logConnected(db, row, p);
  return { workspaceId: pending.workspaceId };
}

export async function disconnectYouTube(db: Db, p: { workspaceId: string; userId: string | null }) {
  const row = await getIntegrationRow(db, p.workspaceId, "youtube");
  if (!row) return { revoked: false };
  const secrets = readYouTubeSecrets(row);
  const app = await youtubeApp(db);
  let revoked = false;
  if (app && secrets) {
    // Revoking the refresh token ends the whole grant. Best effort: an outage must not keep it connected here.
    revoked = await revokeYouTubeToken(secrets.refreshToken || secrets.accessToken).then(
      () => true,
      (err) => {
        logger.warn({ err: String(err) }, "youtube revoke failed");
        return false;
      },
    );
  }
  await deleteIntegrationRow(db, p.workspaceId, "youtube");
  await logActivity(db, {
    workspaceId: p.workspaceId,
    userId: p.userId,
    action: "integration.disconnected",
    entityType: "integration",
    entityId: row.id,
    metadata: { provider: "youtube", revoked },
  });
  return { revoked };
}

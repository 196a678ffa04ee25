import "server-only";
import type { Db } from "@/server/db";
import { AuthError, QuotaError } from "@/server/integrations/http";
import {
  getIntegrationRow,
  type IntegrationRow,
  noteFailure,
  updateSecrets,
} from "@/server/integrations/store";
import {
  type GoogleAppCredentials,
  refreshYouTubeToken,
  type YouTubeToken,
} from "@/server/integrations/youtube/client";
import { readYouTubeSecrets, youtubeSecrets } from "@/server/integrations/youtube/token-store";
import { PublishError } from "../../content/publisher";
import { appOrThrow } from "./config";
import { markQuotaExhausted, spendQuota } from "./quota";

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A usable access token, refreshed when about to expire (or `force`, after a 401). Google usually
 * sends no new refresh token, so the old one is kept. Concurrent refreshes are settled by an
 * optimistic write on the previous secrets: the loser re-reads and uses the winner's token.
 */
export async function getYouTubeAccess(
  db: Db,
  workspaceId: string,
  opts: { force?: boolean } = {},
): Promise<{ row: IntegrationRow; accessToken: string }> {
  for (let round = 0; round < 3; round++) {
    const row = await getIntegrationRow(db, workspaceId, "youtube");
    const secrets = row ? readYouTubeSecrets(row) : null;
    if (!row || !secrets || row.status === "disconnected") {
      throw new PublishError("Connect YouTube in Integrations to publish YouTube Shorts", false);
    }
    const expiresAt = row.tokenExpiresAt?.getTime() ?? 0;
    if (!(opts.force && round === 0) && expiresAt - Date.now() > REFRESH_MARGIN_MS)
      return { row, accessToken: secrets.accessToken };
    const app = await appOrThrow(db);
    let token: YouTubeToken;
    try {
      token = await refreshYouTubeToken(app, secrets.refreshToken);
    } catch (err) {
      if (err instanceof AuthError) {
        const again = await getIntegrationRow(db, workspaceId, "youtube");
        if (again && again.secrets !== row.secrets) continue; // another process refreshed meanwhile
        await noteFailure(db, row, err);
      }
      throw err;
    }
    const next = youtubeSecrets(token, secrets);
    const written = await updateSecrets(db, row, next, new Date(Date.now() + token.expires_in * 1000));
    if (written) return { row, accessToken: next.accessToken };
  }
  throw new PublishError("YouTube tokens kept changing while refreshing; try again", true);
}

/** Calls YouTube with a workspace's token; see `youtubeCaller`. */
export interface YouTubeCaller {
  call<T>(units: number, call: (accessToken: string) => Promise<T>): Promise<T>;
}

/**
 * YouTube API calls with the workspace's token, for one piece of work (a publish attempt, a metrics
 * sync): the app and the token are read once and kept while the token has more than
 * REFRESH_MARGIN_MS left, instead of two reads and a decryption per call. Per call, `units` are taken
 * from the server's daily quota first (every call is charged, refused ones too); a 401 refreshes the
 * token once and retries; a quotaExceeded answer marks the day used up. `row` is the integration row
 * the caller has already read, if any.
 */
export function youtubeCaller(db: Db, workspaceId: string, row?: IntegrationRow): YouTubeCaller {
  let app: GoogleAppCredentials | null = null;
  let held: { accessToken: string; expiresAt: number } | null = null;
  if (row && row.status !== "disconnected") {
    const secrets = readYouTubeSecrets(row);
    if (secrets) held = { accessToken: secrets.accessToken, expiresAt: row.tokenExpiresAt?.getTime() ?? 0 };
  }
  const token = async (force: boolean) => {
    if (!force && held && held.expiresAt - Date.now() > REFRESH_MARGIN_MS) return held.accessToken;
    const access = await getYouTubeAccess(db, workspaceId, { force });
    held = { accessToken: access.accessToken, expiresAt: access.row.tokenExpiresAt?.getTime() ?? 0 };
    return access.accessToken;
  };
  const attempt = async <T>(units: number, call: (t: string) => Promise<T>, force: boolean) => {
    app ??= await appOrThrow(db);
    const accessToken = await token(force);
    if (units > 0) await spendQuota(db, app, units);
    try {
      return await call(accessToken);
    } catch (err) {
      if (err instanceof QuotaError && err.code === "quotaExceeded") await markQuotaExhausted(db, app);
      throw err;
    }
  };
  return {
    async call(units, call) {
      try {
        return await attempt(units, call, false);
      } catch (err) {
        if (!(err instanceof AuthError) || err.status !== 401) throw err;
        return attempt(units, call, true);
      }
    },
  };
}

/** One YouTube API call with the workspace's token (`youtubeCaller` for several). */
export function callYouTube<T>(
  db: Db,
  workspaceId: string,
  units: number,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  return youtubeCaller(db, workspaceId).call(units, call);
}

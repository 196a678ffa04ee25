import "server-only";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { AuthError, isIntegrationError } from "@/server/integrations/http";
import { type InstagramLongToken, refreshInstagramToken } from "@/server/integrations/instagram/client";
import { type InstagramSecrets, readInstagramSecrets } from "@/server/integrations/instagram/token-store";
import {
  getIntegrationRow,
  type IntegrationRow,
  noteFailure,
  updateSecrets,
} from "@/server/integrations/store";
import { PublishError } from "../../content/publisher";

/** Meta refreshes only a long-lived token at least this old. */
const MIN_REFRESH_AGE_MS = 24 * 3_600_000;
/** Refresh once the token has less than this left (it lasts 60 days). */
export const REFRESH_WINDOW_MS = 7 * 24 * 3_600_000;

export interface InstagramAccess {
  row: IntegrationRow;
  accessToken: string;
  userId: string;
  username: string | null;
}

const reconnect = (why: string) =>
  new AuthError(`Instagram needs to be reconnected in Integrations (${why})`, {
    provider: "instagram",
    code: "token_expired",
  });

/**
 * A usable long-lived token. Close to expiry (and at least 24 h old) it is refreshed with
 * ig_refresh_token; an expired one cannot be, so the account must be reconnected. A refresh that
 * fails for a passing reason keeps using the still-valid token. Concurrent refreshes are settled by
 * the optimistic write on the previous secrets: the loser re-reads and uses the winner's token.
 */
export async function getInstagramAccess(db: Db, workspaceId: string): Promise<InstagramAccess> {
  for (let round = 0; round < 3; round++) {
    const row = await getIntegrationRow(db, workspaceId, "instagram");
    const secrets = row ? readInstagramSecrets(row) : null;
    if (!row || !secrets || row.status === "disconnected") {
      throw new PublishError("Connect Instagram in Integrations to publish Reels", false);
    }
    const use = (s: InstagramSecrets): InstagramAccess => ({
      row,
      accessToken: s.accessToken,
      userId: s.userId,
      username: row.accountName,
    });
    const now = Date.now();
    const expiresAt = row.tokenExpiresAt?.getTime() ?? 0;
    if (expiresAt <= now) {
      const err = reconnect("the 60-day authorization expired");
      await noteFailure(db, row, err);
      throw err;
    }
    const old = now - Date.parse(secrets.issuedAt) >= MIN_REFRESH_AGE_MS;
    if (expiresAt - now > REFRESH_WINDOW_MS || !old) return use(secrets);
    let token: InstagramLongToken;
    try {
      token = await refreshInstagramToken(secrets.accessToken);
    } catch (err) {
      if (err instanceof AuthError) {
        const again = await getIntegrationRow(db, workspaceId, "instagram");
        if (again && again.secrets !== row.secrets) continue; // another process refreshed meanwhile
        await noteFailure(db, row, err);
        throw err;
      }
      if (!isIntegrationError(err)) throw err;
      logger.warn({ err: err.message }, "instagram token refresh failed; the current token is still valid");
      return use(secrets);
    }
    const next: InstagramSecrets = {
      ...secrets,
      accessToken: token.access_token,
      issuedAt: new Date().toISOString(),
    };
    const written = await updateSecrets(db, row, next, new Date(Date.now() + token.expires_in * 1000));
    if (written) return use(next);
  }
  throw new PublishError("Instagram tokens kept changing while refreshing; try again", true);
}

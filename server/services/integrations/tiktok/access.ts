import "server-only";
import type { Db } from "@/server/db";
import { AuthError } from "@/server/integrations/http";
import {
  getIntegrationRow,
  type IntegrationRow,
  noteFailure,
  updateSecrets,
} from "@/server/integrations/store";
import { refreshTikTokToken, type TikTokToken } from "@/server/integrations/tiktok/client";
import { readTikTokSecrets, tokenSecrets } from "@/server/integrations/tiktok/token-store";
import { PublishError } from "../../content/publisher";
import { appOrThrow } from "./config";

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A usable access token, refreshed when it is about to expire. Concurrent refreshes are settled
 * by an optimistic write on the previous secrets: the loser re-reads and uses the winner's token.
 */
export async function getTikTokAccess(
  db: Db,
  workspaceId: string,
): Promise<{ row: IntegrationRow; accessToken: string }> {
  for (let round = 0; round < 3; round++) {
    const row = await getIntegrationRow(db, workspaceId, "tiktok");
    const secrets = row ? readTikTokSecrets(row) : null;
    if (!row || !secrets || row.status === "disconnected") {
      throw new PublishError("Connect TikTok in Integrations to publish TikTok posts", false);
    }
    const expiresAt = row.tokenExpiresAt?.getTime() ?? 0;
    if (expiresAt - Date.now() > REFRESH_MARGIN_MS) return { row, accessToken: secrets.accessToken };
    const app = await appOrThrow(db);
    let token: TikTokToken;
    try {
      token = await refreshTikTokToken(app, secrets.refreshToken);
    } catch (err) {
      if (err instanceof AuthError) {
        const again = await getIntegrationRow(db, workspaceId, "tiktok");
        if (again && again.secrets !== row.secrets) continue; // another process refreshed meanwhile
        await noteFailure(db, row, err);
      }
      throw err;
    }
    const next = tokenSecrets(token, secrets);
    const written = await updateSecrets(db, row, next, new Date(Date.now() + token.expires_in * 1000));
    if (written) return { row, accessToken: next.accessToken };
  }
  throw new PublishError("TikTok tokens kept changing while refreshing; try again", true);
}

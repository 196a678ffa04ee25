import { type IntegrationRow, readSecrets } from "../store";
import type { TikTokToken } from "./client";

/** What the encrypted `integrations.secrets` of a TikTok row holds. */
export interface TikTokSecrets {
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: string | null;
  openId: string | null;
  scope: string | null;
}

export const readTikTokSecrets = (row: Pick<IntegrationRow, "secrets">) => readSecrets<TikTokSecrets>(row);

/** The secrets to store after a token exchange or refresh. */
export const tokenSecrets = (t: TikTokToken, previous?: TikTokSecrets | null): TikTokSecrets => ({
  accessToken: t.access_token,
  // TikTok may rotate the refresh token: always keep the newest one it gives.
  refreshToken: t.refresh_token || previous?.refreshToken || "",
  refreshExpiresAt: t.refresh_expires_in
    ? new Date(Date.now() + t.refresh_expires_in * 1000).toISOString()
    : (previous?.refreshExpiresAt ?? null),
  openId: t.open_id ?? previous?.openId ?? null,
  scope: t.scope ?? previous?.scope ?? null,
});

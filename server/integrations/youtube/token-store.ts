import { type IntegrationRow, readSecrets } from "../store";
import type { YouTubeToken } from "./client";

/** What the encrypted `integrations.secrets` of a YouTube row holds. */
export interface YouTubeSecrets {
  accessToken: string;
  refreshToken: string;
  scope: string | null;
}

export const readYouTubeSecrets = (row: Pick<IntegrationRow, "secrets">) => readSecrets<YouTubeSecrets>(row);

/** The secrets to store after a token exchange or refresh; Google usually keeps (and omits) the refresh token. */
export const youtubeSecrets = (t: YouTubeToken, previous?: YouTubeSecrets | null): YouTubeSecrets => ({
  accessToken: t.access_token,
  refreshToken: t.refresh_token || previous?.refreshToken || "",
  scope: t.scope ?? previous?.scope ?? null,
});

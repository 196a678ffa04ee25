import { type IntegrationRow, readSecrets } from "../store";
import type { GoogleToken } from "./client";

/** What the encrypted `integrations.secrets` of a Gmail row holds. */
export interface GmailSecrets {
  accessToken: string;
  refreshToken: string;
}

export const readGmailSecrets = (row: Pick<IntegrationRow, "secrets">) => readSecrets<GmailSecrets>(row);

/** The secrets to store after a token exchange or refresh; Google usually keeps the refresh token. */
export const gmailSecrets = (t: GoogleToken, previous?: GmailSecrets | null): GmailSecrets => ({
  accessToken: t.access_token,
  refreshToken: t.refresh_token || previous?.refreshToken || "",
});

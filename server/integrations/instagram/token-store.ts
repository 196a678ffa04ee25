import { type IntegrationRow, readSecrets } from "../store";

/** What the encrypted `integrations.secrets` of an Instagram row holds. */
export interface InstagramSecrets {
  /** The long-lived (60-day) Instagram User token. */
  accessToken: string;
  /** When this token was issued: Meta refreshes only a token at least 24 h old. */
  issuedAt: string;
  /** The professional account's Instagram user id (`<IG_ID>` in every path). */
  userId: string;
  scope: string | null;
}

export const readInstagramSecrets = (row: Pick<IntegrationRow, "secrets">) =>
  readSecrets<InstagramSecrets>(row);

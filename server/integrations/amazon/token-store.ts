import { type IntegrationRow, readSecrets } from "../store";
import type { AmazonCredentials } from "./client";

/** An Amazon row's encrypted secrets are the seller's LWA credentials (client id, secret, refresh token). */
export const readAmazonCredentials = (row: Pick<IntegrationRow, "secrets">) =>
  readSecrets<AmazonCredentials>(row);

import { type IntegrationRow, readSecrets } from "../store";

/** What the encrypted `integrations.secrets` of a workspace's own AI endpoint holds. */
export interface AiSecrets {
  apiKey: string;
}

export const readAiSecrets = (row: Pick<IntegrationRow, "secrets">) => readSecrets<AiSecrets>(row);

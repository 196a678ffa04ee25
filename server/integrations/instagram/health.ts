import { HEALTH_TIMEOUT_MS, healthFailure, type IntegrationHealth } from "../health";
import { instagramAppCredentials, pingGraph } from "./client";

/**
 * Instagram Login has no app-only token to prove the app secret, so health proves what it can: the
 * Graph host answers (a 4xx for the missing user token counts as up).
 */
export async function instagramHealth(): Promise<IntegrationHealth> {
  if (!instagramAppCredentials()) return "not_configured";
  return pingGraph(HEALTH_TIMEOUT_MS).then(() => "ok" as const, healthFailure);
}

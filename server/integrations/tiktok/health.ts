import { HEALTH_TIMEOUT_MS, healthFailure, type IntegrationHealth } from "../health";
import { tiktokAppCredentials, tiktokClientToken } from "./client";

/** A client-credentials token proves the endpoint is up and the app key/secret are accepted. */
export async function tiktokHealth(): Promise<IntegrationHealth> {
  const app = tiktokAppCredentials();
  if (!app) return "not_configured";
  return tiktokClientToken(app, HEALTH_TIMEOUT_MS).then(() => "ok" as const, healthFailure);
}

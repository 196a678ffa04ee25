import { HEALTH_TIMEOUT_MS, healthFailure, type IntegrationHealth } from "../health";
import { AuthError, PermanentError } from "../http";
import { googleAppCredentials, refreshGoogleToken } from "./client";

export async function gmailHealth(): Promise<IntegrationHealth> {
  const app = googleAppCredentials();
  if (!app) return "not_configured";
  // A refresh with a token Google cannot know: `invalid_grant` proves the endpoint is up and the
  // client id/secret are accepted; `invalid_client` means the app credentials are wrong.
  try {
    await refreshGoogleToken(app, "organic-health-check", { timeoutMs: HEALTH_TIMEOUT_MS, retries: 0 });
    return "ok";
  } catch (err) {
    if ((err instanceof AuthError || err instanceof PermanentError) && err.code === "invalid_grant")
      return "ok";
    return healthFailure(err);
  }
}

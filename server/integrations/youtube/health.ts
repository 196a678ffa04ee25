import { HEALTH_TIMEOUT_MS, healthFailure, type IntegrationHealth } from "../health";
import { AuthError, PermanentError } from "../http";
import { refreshYouTubeToken, youtubeAppCredentials } from "./client";

/** As Gmail's: `invalid_grant` for a made-up refresh token proves the endpoint and the app credentials. */
export async function youtubeHealth(): Promise<IntegrationHealth> {
  const app = youtubeAppCredentials();
  if (!app) return "not_configured";
  try {
    await refreshYouTubeToken(app, "organic-health-check", { timeoutMs: HEALTH_TIMEOUT_MS, retries: 0 });
    return "ok";
  } catch (err) {
    if ((err instanceof AuthError || err instanceof PermanentError) && err.code === "invalid_grant")
      return "ok";
    return healthFailure(err);
  }
}

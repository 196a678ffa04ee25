import "server-only";
import { DomainError } from "@/server/errors";
import { assertIntegrationOn, integrationEnabled } from "@/server/features";
import { type TikTokAppCredentials, tiktokAppCredentials } from "@/server/integrations/tiktok/client";

export const tiktokTiming = {
  pollBaseMs: 2_000,
  pollMaxMs: 30_000,
  /** How long one publish attempt waits for TikTok to finish; the next attempt resumes polling. */
  pollBudgetMs: 5 * 60_000,
};

export function tiktokEnabled() {
  return integrationEnabled("tiktok");
}

export function appOrThrow(): TikTokAppCredentials {
  assertIntegrationOn("tiktok");
  const app = tiktokAppCredentials();
  if (!app) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "TikTok is not set up on this server: set TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET",
    );
  }
  return app;
}

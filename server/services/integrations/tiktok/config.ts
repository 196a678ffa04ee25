import "server-only";
import { env } from "@/lib/env";
import { DomainError } from "@/server/errors";
import { assertIntegrationOn, integrationEnabled } from "@/server/features";
import {
  type TikTokAppCredentials,
  type TikTokToken,
  tiktokAppCredentials,
} from "@/server/integrations/tiktok/client";

export interface TikTokSecrets {
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: string | null;
  openId: string | null;
  scope: string | null;
}

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

export const tokenSecrets = (t: TikTokToken, previous?: TikTokSecrets | null): TikTokSecrets => ({
  accessToken: t.access_token,
  // TikTok may rotate the refresh token: always keep the newest one it gives.
  refreshToken: t.refresh_token || previous?.refreshToken || "",
  refreshExpiresAt: t.refresh_expires_in
    ? new Date(Date.now() + t.refresh_expires_in * 1000).toISOString()
    : (previous?.refreshExpiresAt ?? null),
  openId: t.open_id ?? previous?.openId ?? null,
  scope: t.scope ?? previous?.scope ?? null,
});

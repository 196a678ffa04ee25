import "server-only";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { assertIntegrationOn, integrationEnabled } from "@/server/features";
import type { TikTokAppCredentials } from "@/server/integrations/tiktok/client";
import { getAppCredentials } from "../../instance/credentials";

export const tiktokTiming = {
  pollBaseMs: 2_000,
  pollMaxMs: 30_000,
  /** How long one publish attempt waits for TikTok to finish; the next attempt resumes polling. */
  pollBudgetMs: 5 * 60_000,
};

export function tiktokEnabled() {
  return integrationEnabled("tiktok");
}

/** The TikTok app's key and secret: saved in Settings → Instance, else the environment's. */
export function tiktokApp(db: Db): Promise<TikTokAppCredentials | null> {
  return getAppCredentials(db, "tiktok");
}

export async function appOrThrow(db: Db): Promise<TikTokAppCredentials> {
  assertIntegrationOn("tiktok");
  const app = await tiktokApp(db);
  if (!app) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "TikTok is not set up on this server: an instance admin enters the app's client key and secret in Settings → Instance (or the operator sets TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET)",
    );
  }
  return app;
}

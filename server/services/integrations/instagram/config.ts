import "server-only";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { assertIntegrationOn, integrationEnabled } from "@/server/features";
import type { InstagramAppCredentials } from "@/server/integrations/instagram/client";
import { getAppCredentials } from "../../instance/credentials";

export const instagramTiming = {
  pollBaseMs: 3_000,
  pollMaxMs: 30_000,
  /** How long one publish attempt waits for Meta to process the video; the next attempt resumes polling. */
  pollBudgetMs: 5 * 60_000,
};

export function instagramEnabled() {
  return integrationEnabled("instagram");
}

/** The Instagram app's id and secret: saved in Settings → Instance, else the environment's. */
export function instagramApp(db: Db): Promise<InstagramAppCredentials | null> {
  return getAppCredentials(db, "instagram");
}

export async function appOrThrow(db: Db): Promise<InstagramAppCredentials> {
  assertIntegrationOn("instagram");
  const app = await instagramApp(db);
  if (!app) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Instagram is not set up on this server: an instance admin enters the Instagram app ID and secret in Settings → Instance (or the operator sets INSTAGRAM_CLIENT_ID and INSTAGRAM_CLIENT_SECRET)",
    );
  }
  return app;
}

import "server-only";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { assertIntegrationOn, integrationEnabled } from "@/server/features";
import type { GoogleAppCredentials } from "@/server/integrations/youtube/client";
import { getAppCredentials } from "../../instance/credentials";

export const youtubeTiming = {
  pollBaseMs: 3_000,
  pollMaxMs: 30_000,
  /** How long one publish attempt waits for YouTube's processing; the next attempt resumes polling. */
  pollBudgetMs: 5 * 60_000,
  /** Chunk size: a multiple of 256 KiB (CHUNK_UNIT). */
  chunkBytes: 8 * 1024 * 1024,
  /** Probe-and-resume rounds one attempt allows after failed chunk PUTs. */
  maxResumes: 5,
};

export function youtubeEnabled() {
  return integrationEnabled("youtube");
}

/** YouTube shares Gmail's Google app: saved in Settings → Instance, else the environment's. */
export function youtubeApp(db: Db): Promise<GoogleAppCredentials | null> {
  return getAppCredentials(db, "google");
}

export async function appOrThrow(db: Db): Promise<GoogleAppCredentials> {
  assertIntegrationOn("youtube");
  const app = await youtubeApp(db);
  if (!app) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "YouTube is not set up on this server: an instance admin enters the Google client ID and secret in Settings → Instance (or the operator sets GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)",
    );
  }
  return app;
}

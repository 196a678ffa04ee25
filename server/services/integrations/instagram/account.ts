import "server-only";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { AuthError, isIntegrationError } from "@/server/integrations/http";
import { getPublishingLimit } from "@/server/integrations/instagram/client";
import { getIntegrationRow, noteFailure } from "@/server/integrations/store";
import type { PlatformAccountInfo } from "../platform";
import { getInstagramAccess } from "./access";
import { instagramEnabled } from "./config";

/**
 * What the editor shows about the connected account: its username and how much of Instagram's
 * publishing limit it used (quota_total as Meta reports it, never assumed). Null when Instagram is
 * off or not connected; a provider failure is a 412 with words, never a 500.
 */
export async function instagramAccountInfo(db: Db, workspaceId: string): Promise<PlatformAccountInfo | null> {
  if (!instagramEnabled()) return null;
  const existing = await getIntegrationRow(db, workspaceId, "instagram");
  if (!existing || existing.status === "disconnected") return null;
  let row = existing;
  try {
    const access = await getInstagramAccess(db, workspaceId);
    row = access.row;
    const limit = await getPublishingLimit(access.accessToken, access.userId);
    return {
      accountName: access.username,
      options: {
        username: access.username,
        publishingLimit: { used: limit.usage, total: limit.total, windowSeconds: limit.durationSeconds },
      },
    };
  } catch (err) {
    await noteFailure(db, row, err);
    if (err instanceof AuthError) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "Instagram needs to be reconnected in Integrations before posting (the authorization expired or was revoked)",
      );
    }
    if (isIntegrationError(err)) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        `Instagram did not answer with this account's details right now; try again in a minute (${err.message})`,
      );
    }
    throw err;
  }
}

import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "@/server/db";
import { integrations } from "@/server/db/schema";
import { integrationEnabled } from "@/server/features";
import type { VideoPlatformId } from "./platform";
import { VIDEO_PLATFORMS } from "./platforms";

/**
 * The hourly metrics sync of one short-video platform: every workspace that connected it (or just
 * `workspaceId`). One workspace's failure (platform down, dead token) is recorded on its card by
 * the platform's sync and does not stop the others.
 */
export async function syncAllPlatformMetrics(
  db: Db,
  platformId: VideoPlatformId,
  p: { workspaceId?: string; log: Logger },
) {
  if (!integrationEnabled(platformId)) return { workspaces: 0, ok: 0 };
  const rows = await db
    .select({ workspaceId: integrations.workspaceId })
    .from(integrations)
    .where(
      and(
        eq(integrations.provider, platformId),
        ne(integrations.status, "disconnected"),
        p.workspaceId ? eq(integrations.workspaceId, p.workspaceId) : undefined,
      ),
    );
  let ok = 0;
  for (const r of rows) {
    try {
      await VIDEO_PLATFORMS[platformId].syncMetrics(db, r.workspaceId);
      ok++;
    } catch (err) {
      p.log.warn(
        { workspaceId: r.workspaceId, err: err instanceof Error ? err.message : String(err) },
        `${platformId} metrics sync failed`,
      );
    }
  }
  return { workspaces: rows.length, ok };
}

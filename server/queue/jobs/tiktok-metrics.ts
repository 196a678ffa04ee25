import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { integrations } from "@/server/db/schema";
import { syncTikTokMetrics, tiktokEnabled } from "@/server/services/integrations/tiktok";
import { defineJob } from "../types";

/**
 * Hourly: sync TikTok video metrics for every workspace with TikTok connected. One workspace's
 * failure (provider down, dead token) is recorded on its card and does not stop the others.
 */
export const tiktokMetricsJob = defineJob({
  queue: "analytics",
  name: "tiktok-metrics-sync",
  schema: z.object({ workspaceId: z.uuid().optional() }).default({}),
  async handler(payload, { db, log }) {
    if (!tiktokEnabled()) return { workspaces: 0 };
    const rows = await db
      .select({ workspaceId: integrations.workspaceId })
      .from(integrations)
      .where(
        and(
          eq(integrations.provider, "tiktok"),
          ne(integrations.status, "disconnected"),
          payload.workspaceId ? eq(integrations.workspaceId, payload.workspaceId) : undefined,
        ),
      );
    let ok = 0;
    for (const r of rows) {
      try {
        await syncTikTokMetrics(db, r.workspaceId);
        ok++;
      } catch (err) {
        log.warn(
          { workspaceId: r.workspaceId, err: err instanceof Error ? err.message : String(err) },
          "tiktok metrics sync failed",
        );
      }
    }
    return { workspaces: rows.length, ok };
  },
});

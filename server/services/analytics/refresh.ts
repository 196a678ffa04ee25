import "server-only";
import { bumpNamespace } from "@/lib/cache";
import type { Db } from "@/server/db";
import { publishEvent } from "@/server/events";
import { cacheNamespace } from "./queries";
import { type RollupRebuild, type RollupResult, runAnalyticsRollup } from "./rollup";

/**
 * Runs the rollup, then for every workspace it wrote: drops that workspace's cached analytics and
 * tells its open pages (`job.finished` with kind `analytics`) so they refetch.
 */
export async function refreshAnalytics(
  db: Db,
  opts: { full?: boolean; wait?: boolean; rebuild?: RollupRebuild } = {},
): Promise<RollupResult> {
  const result = await runAnalyticsRollup(db, opts);
  for (const workspaceId of result.workspaceIds) {
    await bumpNamespace(cacheNamespace(workspaceId));
    await publishEvent({ workspaceId, type: "job.finished", data: { kind: "analytics", mode: result.mode } });
  }
  return result;
}

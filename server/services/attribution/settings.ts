import "server-only";
import { count, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { orders } from "@/server/db/schema";
import { enqueueAttributionRebuild } from "@/server/queue/jobs/attribution";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { createJobRun, runSyncOnJobRun } from "../jobs";
import type { AttributionSettings } from "../workspaces/schemas";
import { writeSettingsSection } from "../workspaces/settings";
import { rebuildAttribution } from "./attribute";

export const ATTRIBUTION_REBUILD_KIND = "attribution_rebuild";
/** Up to this many orders are credited again within the request (a few seconds here); more, by a job. */
export const INLINE_REBUILD_MAX_ORDERS = 2000;

/**
 * An admin's new model or window: saved, then every order credited again — at once for a workspace
 * with few orders, otherwise by a job whose run shows its progress (`jobRunId`).
 */
export async function updateAttributionSettings(
  ctx: WorkspaceServiceContext,
  settings: AttributionSettings,
  opts: { inlineMax?: number } = {},
): Promise<AttributionSettings & { orders: number; recredited: number | null; jobRunId: string | null }> {
  const { db, workspaceId } = ctx;
  await writeSettingsSection(db, workspaceId, "attribution", settings);
  const [{ n }] = (await db
    .select({ n: count() })
    .from(orders)
    .where(eq(orders.workspaceId, workspaceId))) as [{ n: number }];
  let recredited: number | null = null;
  let jobRunId: string | null = null;
  if (n <= (opts.inlineMax ?? INLINE_REBUILD_MAX_ORDERS)) {
    recredited = (await rebuildAttribution(db, workspaceId)).orders;
  } else {
    const run = await createJobRun(db, {
      workspaceId,
      kind: ATTRIBUTION_REBUILD_KIND,
      input: { ...settings, orders: n },
      createdBy: ctx.actor.userId,
    });
    await enqueueAttributionRebuild({ jobRunId: run.id, workspaceId });
    jobRunId = run.id;
  }
  await record(
    db,
    ctx.actor,
    workspaceId,
    "attribution.settings_updated",
    { type: "workspace", id: workspaceId },
    {
      ...settings,
      orders: n,
      ...(jobRunId && { jobRunId }),
    },
  );
  return { ...settings, orders: n, recredited, jobRunId };
}

/** The job's work: every order credited again, progress on its run. */
export async function runAttributionRebuildJob(
  db: Db,
  p: { jobRunId: string; workspaceId: string; log: { warn: (obj: object, msg: string) => void } },
) {
  const [{ n }] = (await db
    .select({ n: count() })
    .from(orders)
    .where(eq(orders.workspaceId, p.workspaceId))) as [{ n: number }];
  return runSyncOnJobRun(
    db,
    {
      ...p,
      kind: ATTRIBUTION_REBUILD_KIND,
      // A page is 500 orders: its share of the whole.
      percentPerPage: Math.max(1, Math.floor((100 * 500) / Math.max(n, 1))),
      failureMessage: "attribution rebuild failed",
    },
    (onPage) => rebuildAttribution(db, p.workspaceId, { onPage: (pages) => onPage(pages) }),
  );
}

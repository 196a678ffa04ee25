import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { rowsOf } from "@/server/db/raw-rows";
import { leads, rollupLeadsDaily } from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { analyticsRollupJob } from "@/server/queue/jobs/analytics-rollup";
import { LIVE_PACE_MAX_MS, livePaceWaitMs, requestRollupSoon } from "@/server/services/analytics/live";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import { setupTestDb } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";
import { runJobNow } from "../helpers/jobs";
import { recordingQueue } from "../helpers/queues";

/*
 * Live analytics runs are paced by the length of the last run (services/analytics/live.ts). The
 * watermarks are one row for the whole install, so this file has a database of its own.
 */
const h = await setupTestDb({ ownDatabase: true });

const recording = recordingQueue();
const enqueued = recording.enqueued;

let workspaceId = "";

beforeAll(async () => {
  const ws = await createWorkspace(h.db, await createUser(h.db));
  workspaceId = ws.id;
  await refreshAnalytics(h.db, { full: true });
});

afterEach(() => {
  setQueue(h.queue);
  enqueued.length = 0;
});

/** Makes the last run look as if it started `ms` before it ended, `endedAgoMs` ago. */
async function lastRunTook(ms: number, endedAgoMs = 0) {
  await h.db.execute(sql`
    update analytics_watermarks set watermark = case source
      when 'all:ended' then now() - make_interval(secs => ${endedAgoMs / 1000})
      else now() - make_interval(secs => ${(endedAgoMs + ms) / 1000}) end
    where source in ('all', 'all:ended')`);
}

async function watermark() {
  const [row] = rowsOf<{ at: string }>(
    await h.db.execute(sql`select watermark::text as at from analytics_watermarks where source = 'all'`),
  );
  return row?.at;
}

async function leadsRolledUp() {
  const rows = await h.db
    .select({ leads: rollupLeadsDaily.leads })
    .from(rollupLeadsDaily)
    .where(eq(rollupLeadsDaily.workspaceId, workspaceId));
  return rows.reduce((sum, r) => sum + Number(r.leads), 0);
}

async function addLead() {
  await h.db.insert(leads).values({ workspaceId, email: `${randomUUID()}@example.test`, status: "active" });
}

describe("live analytics runs are paced by the last run's length", () => {
  it("a run records when it ended, after it started", async () => {
    await refreshAnalytics(h.db);
    const rows = rowsOf<{ source: string; at: string }>(
      await h.db.execute(sql`
        select source, watermark::text as at from analytics_watermarks
        where source in ('all', 'all:ended') order by source`),
    );
    expect(rows.map((r) => r.source)).toEqual(["all", "all:ended"]);
    expect(new Date(rows[1]!.at).getTime()).toBeGreaterThanOrEqual(new Date(rows[0]!.at).getTime());
  });

  it("a live run right after a long one waits ten times its length, then runs", async () => {
    await addLead();
    const before = await leadsRolledUp();
    await lastRunTook(2_000);
    const wait = await livePaceWaitMs(h.db);
    expect(wait).toBeGreaterThan(18_000);
    expect(wait).toBeLessThanOrEqual(20_000);

    setQueue(recording);
    const mark = await watermark();
    const result = await runJobNow(h.db, analyticsRollupJob, { live: true });
    expect(result).toMatchObject({ mode: "deferred" });
    // Nothing ran; one run is asked for when the pace allows, on a whole second.
    expect(await watermark()).toBe(mark);
    expect(await leadsRolledUp()).toBe(before);
    expect(enqueued).toHaveLength(1);
    expect(enqueued[0]).toMatchObject({ name: "analytics-rollup", payload: { live: true } });
    expect(enqueued[0]!.opts?.delayMs).toBeGreaterThan(17_000);
    expect(enqueued[0]!.opts?.delayMs).toBeLessThanOrEqual(21_000);
    expect(enqueued[0]!.opts?.jobId).toMatch(/^analytics-rollup-live-at-\d+000$/);

    // The same run once the pace allows (the last one ended 25 s ago): it rolls up the new lead.
    await lastRunTook(2_000, 25_000);
    expect(await livePaceWaitMs(h.db)).toBe(0);
    await expect(runJobNow(h.db, analyticsRollupJob, { live: true })).resolves.toMatchObject({
      mode: "incremental",
    });
    expect(await leadsRolledUp()).toBe(before + 1);
    expect(enqueued).toHaveLength(1);
  });

  it("however long the last run, live runs are at most 30 s apart", async () => {
    await lastRunTook(60_000);
    const wait = await livePaceWaitMs(h.db);
    expect(wait).toBeGreaterThan(LIVE_PACE_MAX_MS - 2_000);
    expect(wait).toBeLessThanOrEqual(LIVE_PACE_MAX_MS);
  });

  it("the minute's tick is not paced", async () => {
    await addLead();
    const before = await leadsRolledUp();
    await lastRunTook(2_000);
    setQueue(recording);
    await expect(runJobNow(h.db, analyticsRollupJob, {})).resolves.toMatchObject({ mode: "incremental" });
    expect(await leadsRolledUp()).toBe(before + 1);
    expect(enqueued).toEqual([]);
  });

  it("new data asks for a live run after ANALYTICS_LIVE_DELAY_MS", async () => {
    const saved = process.env.ANALYTICS_LIVE_DELAY_MS;
    process.env.ANALYTICS_LIVE_DELAY_MS = "4321";
    resetEnvCache();
    try {
      setQueue(recording);
      await requestRollupSoon();
      expect(enqueued).toEqual([
        {
          name: "analytics-rollup",
          payload: { live: true },
          opts: { jobId: expect.stringMatching(/^analytics-rollup-live-\d+$/), delayMs: 4321 },
        },
      ]);
    } finally {
      if (saved === undefined) delete process.env.ANALYTICS_LIVE_DELAY_MS;
      else process.env.ANALYTICS_LIVE_DELAY_MS = saved;
      resetEnvCache();
    }
  });
});

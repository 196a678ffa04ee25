import { z } from "zod";
import { getQueue } from "..";
import { defineJob } from "../types";

/**
 * Chooses an A/B test's winner once its wait is over and queues the winner for the rest of the
 * audience. The campaign row says when (`ab_test.testEndsAt`); this delayed job is only the alarm —
 * the campaign scheduler's tick decides any test that is due too, so a lost Redis loses nothing.
 */
export const abTestDecideJob = defineJob({
  queue: "email",
  name: "ab-test-decide",
  schema: z.object({ workspaceId: z.uuid(), campaignId: z.uuid() }),
  feature: "email",
});

/** One job per campaign (deterministic id), due when the test's wait ends. */
export async function enqueueAbTestDecision(workspaceId: string, campaignId: string, at: Date) {
  await getQueue().enqueue(
    abTestDecideJob,
    { workspaceId, campaignId },
    { jobId: `ab-test-decide-${campaignId}`, delayMs: Math.max(0, at.getTime() - Date.now()) },
  );
}

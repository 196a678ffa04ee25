import { z } from "zod";
import { startDueScheduledCampaigns } from "@/server/services/email/start";
import { defineJob } from "../types";

export const CAMPAIGN_SCHEDULER_INTERVAL_MS = (() => {
  const v = Number(process.env.CAMPAIGN_SCHEDULER_INTERVAL_MS);
  return Number.isFinite(v) && v > 0 ? v : 5000;
})();

/** Starts one-time campaigns whose `schedule.sendAt` has come (status `scheduled`). */
export const campaignSchedulerJob = defineJob({
  queue: "system",
  name: "campaign-scheduler",
  schema: z.object({}).default({}),
  async handler(_payload, { db, log }) {
    const started = await startDueScheduledCampaigns(db, log);
    return { started };
  },
});

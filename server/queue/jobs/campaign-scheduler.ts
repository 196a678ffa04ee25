import { z } from "zod";
import { env } from "@/lib/env";
import { defineJob, type RepeatingJob } from "../types";

/** Starts one-time campaigns whose `schedule.sendAt` has come (status `scheduled`). */
export const campaignSchedulerJob = defineJob({
  queue: "system",
  name: "campaign-scheduler",
  schema: z.object({}).default({}),
  feature: "email",
});

export const campaignSchedulerTick = (): RepeatingJob => ({
  def: campaignSchedulerJob,
  everyMs: env().CAMPAIGN_SCHEDULER_INTERVAL_MS,
  payload: {},
});

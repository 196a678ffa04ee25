import "server-only";
// Registers the lead-event listener that enrols leads in triggered campaigns (worker processes).
import "@/server/services/email/triggers";
import type { JobDefinition } from "../types";
import { AMAZON_ORDERS_SYNC_INTERVAL_MS, amazonOrdersSyncJob, amazonOrdersTickJob } from "./amazon-orders";
import { analyticsRollupJob } from "./analytics-rollup";
import { CAMPAIGN_SCHEDULER_INTERVAL_MS, campaignSchedulerJob } from "./campaign-scheduler";
import { cleanupJob } from "./cleanup";
import { contentSchedulerJob } from "./content-scheduler";
import { deliverWebhookJob, webhookTickJob } from "./deliver-webhook";
import { EMAIL_SENDER_INTERVAL_MS, emailSenderJob, emailSenderTickJob } from "./email-sender";
import { generateContentJob } from "./generate-content";
import { importLeadsJob } from "./import-leads";
import { publishContentJob } from "./publish-content";
import { sequenceEnrollerJob } from "./sequence-enroller";
import { sendSystemEmailJob } from "./system-email";
import { tiktokMetricsJob } from "./tiktok-metrics";

/** Every job the workers run. Later features add theirs here. */
export const ALL_JOBS: JobDefinition[] = [
  sendSystemEmailJob,
  cleanupJob,
  publishContentJob,
  contentSchedulerJob,
  generateContentJob,
  importLeadsJob,
  sequenceEnrollerJob,
  emailSenderJob,
  emailSenderTickJob,
  campaignSchedulerJob,
  deliverWebhookJob,
  webhookTickJob,
  amazonOrdersSyncJob,
  amazonOrdersTickJob,
  analyticsRollupJob,
  tiktokMetricsJob,
];

const SCHEDULER_INTERVAL_MS = Number(process.env.CONTENT_SCHEDULER_INTERVAL_MS ?? 5000);

/** Jobs that repeat on a timer, once across all processes. */
export const REPEATING: { def: JobDefinition; everyMs: number; payload: unknown }[] = [
  { def: cleanupJob, everyMs: 60 * 60 * 1000, payload: {} },
  { def: tiktokMetricsJob, everyMs: 60 * 60 * 1000, payload: {} },
  { def: contentSchedulerJob, everyMs: SCHEDULER_INTERVAL_MS, payload: {} },
  { def: sequenceEnrollerJob, everyMs: 60_000, payload: {} },
  { def: emailSenderTickJob, everyMs: EMAIL_SENDER_INTERVAL_MS, payload: {} },
  { def: campaignSchedulerJob, everyMs: CAMPAIGN_SCHEDULER_INTERVAL_MS, payload: {} },
  { def: webhookTickJob, everyMs: 30_000, payload: {} },
  { def: amazonOrdersTickJob, everyMs: AMAZON_ORDERS_SYNC_INTERVAL_MS, payload: {} },
  {
    def: analyticsRollupJob,
    everyMs: Number(process.env.ANALYTICS_ROLLUP_INTERVAL_MS ?? 60_000),
    payload: {},
  },
];

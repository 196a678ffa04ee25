import "server-only";
/**
 * The one place that binds job names to the code that runs them, and domain-event types to their
 * consumers. Only the web boot (embedded mode's in-process runner), `npm run worker` and the test
 * helpers import it: services enqueue by job definition and never see a handler, so services and
 * jobs never import each other.
 */
import { featureEnabled } from "@/server/features";
import { analyticsLiveConsumer, deferLiveRollup, livePaceWaitMs } from "@/server/services/analytics/live";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import { runAttributionRebuildJob } from "@/server/services/attribution/settings";
import { runCleanup } from "@/server/services/cleanup";
import { recoverStaleGenerations } from "@/server/services/content/generate/recover";
import { runGeneration } from "@/server/services/content/generate/run";
import { continuePublish, enqueueDueContent, publishContent } from "@/server/services/content/publish";
import { systemActor } from "@/server/services/context";
import { type ConsumerBinding, dispatchDomainEvents } from "@/server/services/domain-events/dispatch";
import { decideAbTest, decideDueAbTests } from "@/server/services/email/ab-test";
import { pollBounceMailbox, workspacesWithBounceMailbox } from "@/server/services/email/bounce-mailbox";
import { deliverOutboxMessage } from "@/server/services/email/outbox";
import { reclaimStaleSends } from "@/server/services/email/send-claim";
import { findWorkspacesWithDueSends, finishSentCampaigns, runSender } from "@/server/services/email/sender";
import { enrollActiveSequences } from "@/server/services/email/sequences";
import { startDueScheduledCampaigns } from "@/server/services/email/start";
import { triggeredCampaignsConsumer } from "@/server/services/email/triggers";
import {
  runOrdersSyncJob,
  startScheduledOrdersSyncs,
} from "@/server/services/integrations/amazon/orders-sync";
import {
  runAttributionSyncJob,
  startScheduledAttributionSyncs,
} from "@/server/services/integrations/amazon-ads/attribution-sync";
import { syncAllPlatformMetrics } from "@/server/services/integrations/platform-metrics";
import { runImport } from "@/server/services/leads-import/run";
import { liveUpdatesConsumer } from "@/server/services/live-updates";
import { notificationsConsumer } from "@/server/services/notifications";
import { attemptWebhookDelivery, dueWebhookDeliveries } from "@/server/services/webhooks/deliver";
import { webhooksConsumer } from "@/server/services/webhooks/events";
import { abTestDecideJob } from "./jobs/ab-test";
import { amazonAttributionSyncJob, amazonAttributionTick, amazonAttributionTickJob } from "./jobs/amazon-ads";
import { amazonOrdersSyncJob, amazonOrdersTick, amazonOrdersTickJob } from "./jobs/amazon-orders";
import { analyticsRollupJob, analyticsRollupTick } from "./jobs/analytics-rollup";
import { attributionRebuildJob } from "./jobs/attribution";
import {
  bounceMailboxPollJob,
  bounceMailboxTick,
  bounceMailboxTickJob,
  enqueueBounceMailboxPolls,
} from "./jobs/bounce-mailbox";
import { campaignSchedulerJob, campaignSchedulerTick } from "./jobs/campaign-scheduler";
import { cleanupJob, cleanupTick } from "./jobs/cleanup";
import { contentSchedulerJob, contentSchedulerTick } from "./jobs/content-scheduler";
import {
  deliverWebhookJob,
  enqueueWebhookDeliveries,
  enqueueWebhookRetry,
  webhookTick,
  webhookTickJob,
} from "./jobs/deliver-webhook";
import { dispatchDomainEventsJob, domainEventsTick } from "./jobs/domain-events";
import {
  emailSenderJob,
  emailSenderTick,
  emailSenderTickJob,
  enqueueNextSenderWindow,
  enqueueSenderWindow,
} from "./jobs/email-sender";
import { generateContentJob } from "./jobs/generate-content";
import { enqueueImportLeads, importLeadsJob } from "./jobs/import-leads";
import {
  instagramMetricsJob,
  instagramMetricsTick,
  youtubeMetricsJob,
  youtubeMetricsTick,
} from "./jobs/platform-metrics";
import { publishCheckJob, publishContentJob } from "./jobs/publish-content";
import { sequenceEnrollerJob, sequenceEnrollerTick } from "./jobs/sequence-enroller";
import { sendSystemEmailJob } from "./jobs/system-email";
import { tiktokMetricsJob, tiktokMetricsTick } from "./jobs/tiktok-metrics";
import { bindJob, createJobRegistry, type JobRegistry, QUEUES } from "./types";

/**
 * Which consumer takes which domain event — a static table. Adding a consumer is adding a row here,
 * never importing a module for its side effect.
 */
export const DOMAIN_EVENT_CONSUMERS: readonly ConsumerBinding[] = [
  {
    consumer: triggeredCampaignsConsumer,
    types: ["lead.created", "lead.tagged", "lead.form_submitted"],
    enabled: () => featureEnabled("email"),
  },
  {
    consumer: webhooksConsumer,
    types: [
      "lead.created",
      "lead.imported",
      "lead.unsubscribed",
      "content.published",
      "content.failed",
      "campaign.sent",
      "order.created",
    ],
  },
  { consumer: notificationsConsumer, types: ["content.published", "content.failed"] },
  { consumer: liveUpdatesConsumer, types: ["content.published", "content.failed"] },
  {
    consumer: analyticsLiveConsumer,
    types: ["lead.created", "content.published"],
    enabled: () => featureEnabled("analytics"),
  },
];

const BOUND = [
  bindJob(sendSystemEmailJob, ({ outboxId }, { db, log }) => deliverOutboxMessage(db, outboxId, log)),
  bindJob(cleanupJob, (_p, { db }) => runCleanup(db)),

  bindJob(dispatchDomainEventsJob, (_p, { db, log, signal }) =>
    dispatchDomainEvents(db, DOMAIN_EVENT_CONSUMERS, { log, signal }),
  ),

  bindJob(contentSchedulerJob, async (_p, { db, log }) => {
    const published = await enqueueDueContent(db);
    if (published.reclaimed) log.warn({ count: published.reclaimed }, "reclaimed stale publishing claims");
    const recovered = await recoverStaleGenerations(db);
    return { ...published, recovered };
  }),
  bindJob(publishContentJob, async ({ contentId }, { db, log, attempt, signal }) => {
    const result = await publishContent(db, {
      contentId,
      attempt,
      signal,
      maxAttempts: QUEUES.content.attempts,
      log,
      release: true,
    });
    // Ask the queue for another attempt (with its backoff); the row is back in `scheduled`.
    if (result.outcome === "retry") throw new Error(result.error);
    return result;
  }),
  // A retry here hands the row back to `scheduled`, where the scheduler tick picks it up again.
  bindJob(publishCheckJob, (payload, { db, log, signal }) =>
    continuePublish(db, { ...payload, maxAttempts: QUEUES.content.attempts, log, signal, release: true }),
  ),
  bindJob(generateContentJob, async ({ jobRunId, workspaceId }, { db, log, attempt, reportProgress }) => {
    const result = await runGeneration(db, {
      jobRunId,
      workspaceId,
      attempt,
      maxAttempts: QUEUES.content.attempts,
      log,
      reportProgress,
    });
    // Ask the queue for another attempt (with its backoff); the run is back in `queued`.
    if (result.outcome === "retry") throw new Error(result.error);
    return result;
  }),

  bindJob(importLeadsJob, async (payload, { db, log, reportProgress, signal }) => {
    const result = await runImport(db, { ...payload, log, reportProgress, signal });
    // Handed back by a stopping worker: another worker takes it now, not after a lock expires.
    if (result.outcome === "released")
      await enqueueImportLeads(payload, `${payload.jobRunId}-r${Date.now()}`);
    return result;
  }),

  bindJob(emailSenderJob, async ({ workspaceId, until, slot }, { db, log, signal }) => {
    // A job that waited in the queue past its window still takes at least one second's turn.
    const deadline = Math.max(until, Date.now() + 1000);
    const result = await runSender(db, { workspaceId, deadline, log, signal });
    // Stopped by its worker's shutdown, whatever it held at that moment: the tick's job of this
    // window has the id this job has, so without a hand-over the rest would wait for the next
    // window (EMAIL_SENDER_WINDOW_MS). A hand-over that finds nothing due ends at once.
    if (result.more || signal.aborted) await enqueueNextSenderWindow(workspaceId, slot);
    return result;
  }),
  bindJob(emailSenderTickJob, async (_p, { db, log }) => {
    const reclaimed = await reclaimStaleSends(db);
    if (reclaimed) log.warn({ reclaimed }, "gave back stale campaign send claims");
    await finishSentCampaigns(db);
    const workspaceIds = await findWorkspacesWithDueSends(db);
    await enqueueSenderWindow(workspaceIds);
    return { reclaimed, workspaces: workspaceIds.length };
  }),
  bindJob(campaignSchedulerJob, async (_p, { db, log }) => ({
    started: await startDueScheduledCampaigns(db, log),
    // A/B tests whose wait is over: the backstop of ab-test-decide (a lost Redis loses no decision).
    abTestsDecided: await decideDueAbTests(db, log),
  })),
  bindJob(abTestDecideJob, ({ workspaceId, campaignId }, { db }) =>
    decideAbTest(db, { workspaceId, campaignId, actor: systemActor, due: true }),
  ),
  bindJob(sequenceEnrollerJob, async (_p, { db, log }) => {
    const result = await enrollActiveSequences(db);
    if (result.enrolled) log.info(result, "enrolled leads into sequences");
    return result;
  }),

  bindJob(bounceMailboxTickJob, async (_p, { db }) => {
    const workspaceIds = await workspacesWithBounceMailbox(db);
    await enqueueBounceMailboxPolls(workspaceIds);
    return { workspaces: workspaceIds.length };
  }),
  // A mailbox that cannot be read says so on its card; the next tick tries again (no retries here).
  bindJob(bounceMailboxPollJob, ({ workspaceId }, { db, log }) =>
    pollBounceMailbox(db, workspaceId, { log }).catch((err: Error) => ({ error: err.message })),
  ),

  bindJob(deliverWebhookJob, async ({ deliveryId }, { db, log }) => {
    const result = await attemptWebhookDelivery(db, deliveryId, { log });
    // Retries follow the delivery row's own backoff (over a day), not the queue's policy.
    if (result.outcome === "retry")
      await enqueueWebhookRetry(deliveryId, result.attempt + 1, result.retryInMs);
    return result;
  }),
  bindJob(webhookTickJob, async (_p, { db }) => {
    const due = await dueWebhookDeliveries(db);
    await enqueueWebhookDeliveries(due);
    return { enqueued: due.length };
  }),

  bindJob(amazonOrdersSyncJob, ({ jobRunId, workspaceId }, { db, log }) =>
    runOrdersSyncJob(db, { jobRunId, workspaceId, log }),
  ),
  bindJob(amazonOrdersTickJob, (_p, { db }) => startScheduledOrdersSyncs(db)),
  bindJob(attributionRebuildJob, ({ jobRunId, workspaceId }, { db, log }) =>
    runAttributionRebuildJob(db, { jobRunId, workspaceId, log }),
  ),
  bindJob(amazonAttributionSyncJob, ({ jobRunId, workspaceId }, { db, log }) =>
    runAttributionSyncJob(db, { jobRunId, workspaceId, log }),
  ),
  bindJob(amazonAttributionTickJob, (_p, { db }) => startScheduledAttributionSyncs(db)),
  bindJob(analyticsRollupJob, async (payload, { db, log }) => {
    if (payload.live) {
      const waitMs = await livePaceWaitMs(db);
      if (waitMs > 0) return deferLiveRollup(waitMs);
    }
    const result = await refreshAnalytics(db, { full: payload.full });
    if (result.buckets) log.info(result, "analytics rolled up");
    return result;
  }),
  bindJob(tiktokMetricsJob, (payload, { db, log }) =>
    syncAllPlatformMetrics(db, "tiktok", { workspaceId: payload.workspaceId, log }),
  ),
  bindJob(youtubeMetricsJob, (payload, { db, log }) =>
    syncAllPlatformMetrics(db, "youtube", { workspaceId: payload.workspaceId, log }),
  ),
  bindJob(instagramMetricsJob, (payload, { db, log }) =>
    syncAllPlatformMetrics(db, "instagram", { workspaceId: payload.workspaceId, log }),
  ),
];

/** Jobs that repeat on a timer, once across all processes (each declared beside its definition). */
function repeating() {
  return [
    cleanupTick,
    tiktokMetricsTick,
    youtubeMetricsTick,
    instagramMetricsTick,
    contentSchedulerTick(),
    domainEventsTick(),
    sequenceEnrollerTick,
    bounceMailboxTick,
    emailSenderTick(),
    campaignSchedulerTick(),
    webhookTick,
    amazonOrdersTick,
    amazonAttributionTick,
    analyticsRollupTick(),
  ];
}

/** Every job the app runs, with its handler, gated by the ENABLE_* flags. */
export function jobHandlers(): JobRegistry {
  return createJobRegistry(BOUND, repeating(), featureEnabled);
}

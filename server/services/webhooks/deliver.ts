import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { decryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { webhookDeliveries, webhookEndpoints, workspaceMembers, workspaces } from "@/server/db/schema";
import { record } from "../activity";
import { systemActor } from "../context";
import { notifyWorkspace } from "../notifications";
import { signatureHeaders } from "./sign";
import { postWebhook } from "./ssrf";

/**
 * Waits after each failed attempt (Standard Webhooks' suggested schedule): 8 attempts spread over
 * about 27 hours, so a receiver that is down for a day still gets the event.
 */
export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000,
] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed attempt may run before the tick may hand it to another worker. */
const CLAIM_LEASE_SECONDS = 120;

export type AttemptOutcome =
  | { outcome: "succeeded"; status: number }
  | { outcome: "retry"; status: number | null; error: string | null; retryInMs: number; attempt: number }
  | { outcome: "failed"; status: number | null; error: string | null }
  | { outcome: "skipped" };

/**
 * One attempt at one delivery. The row is claimed first (due, pending; a lease pushes
 * next_attempt_at ahead), so a doubled job or a concurrent tick never sends the same attempt twice.
 */
export async function attemptWebhookDelivery(
  db: Db,
  deliveryId: string,
  opts: { log?: Logger } = {},
): Promise<AttemptOutcome> {
  const log = opts.log ?? logger;
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastAttemptAt: sql`now()`,
      nextAttemptAt: sql`now() + make_interval(secs => ${CLAIM_LEASE_SECONDS})`,
    })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.status, "pending"),
        lte(webhookDeliveries.nextAttemptAt, sql`now()`),
      ),
    )
    .returning();
  if (!claimed) return { outcome: "skipped" };

  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(
      and(eq(webhookEndpoints.id, claimed.endpointId), eq(webhookEndpoints.workspaceId, claimed.workspaceId)),
    );
  if (!endpoint?.enabled) {
    const error = "The endpoint is disabled";
    await db
      .update(webhookDeliveries)
      .set({ status: "failed", nextAttemptAt: null, error })
      .where(
        and(eq(webhookDeliveries.id, claimed.id), eq(webhookDeliveries.workspaceId, claimed.workspaceId)),
      );
    return { outcome: "failed", status: null, error };
  }

  const body = JSON.stringify(claimed.payload);
  const headers = {
    "content-type": "application/json",
    "user-agent": "Organic-Webhooks/1.0",
    ...signatureHeaders(decryptSecret(endpoint.secretEncrypted), claimed.messageId, new Date(), body),
  };
  const started = Date.now();
  let status: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    const res = await postWebhook(endpoint.url, headers, body);
    status = res.status;
    responseBody = res.body;
    if (status < 200 || status >= 300) error = `The endpoint answered HTTP ${status}`;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const durationMs = Date.now() - started;
  const inDelivery = and(
    eq(webhookDeliveries.id, claimed.id),
    eq(webhookDeliveries.workspaceId, claimed.workspaceId),
  );
  const inEndpoint = and(
    eq(webhookEndpoints.id, endpoint.id),
    eq(webhookEndpoints.workspaceId, endpoint.workspaceId),
  );

  if (!error && status !== null) {
    await db
      .update(webhookDeliveries)
      .set({
        status: "succeeded",
        nextAttemptAt: null,
        responseStatus: status,
        responseBody,
        error: null,
        durationMs,
      })
      .where(inDelivery);
    await db
      .update(webhookEndpoints)
      .set({ failingSince: null })
      .where(and(inEndpoint, sql`${webhookEndpoints.failingSince} is not null`));
    return { outcome: "succeeded", status };
  }

  const attempt = claimed.attempts;
  const retryInMs = attempt < MAX_ATTEMPTS ? RETRY_DELAYS_MS[attempt - 1]! : null;
  await db
    .update(webhookDeliveries)
    .set({
      status: retryInMs === null ? "failed" : "pending",
      nextAttemptAt: retryInMs === null ? null : sql`now() + make_interval(secs => ${retryInMs / 1000})`,
      responseStatus: status,
      responseBody,
      error,
      durationMs,
    })
    .where(inDelivery);
  log.info(
    { deliveryId: claimed.id, endpointId: endpoint.id, status, error, attempt },
    "webhook attempt failed",
  );
  await noteEndpointFailure(db, endpoint.id, endpoint.workspaceId);
  return retryInMs === null
    ? { outcome: "failed", status, error }
    : { outcome: "retry", status, error, retryInMs, attempt };
}

/**
 * Starts the endpoint's failure clock, and switches it off when it has failed every attempt for
 * WEBHOOKS_DISABLE_AFTER_DAYS, telling the workspace's owners and admins.
 */
async function noteEndpointFailure(db: Db, endpointId: string, workspaceId: string) {
  const inEndpoint = and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, workspaceId));
  await db
    .update(webhookEndpoints)
    .set({ failingSince: sql`now()` })
    .where(and(inEndpoint, isNull(webhookEndpoints.failingSince)));
  const days = env().WEBHOOKS_DISABLE_AFTER_DAYS;
  const reason = `Every delivery failed for ${days} day${days === 1 ? "" : "s"}; switched off automatically.`;
  const [disabled] = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledAt: sql`now()`, disabledReason: reason })
    .where(
      and(
        inEndpoint,
        eq(webhookEndpoints.enabled, true),
        lte(webhookEndpoints.failingSince, sql`now() - make_interval(secs => ${Math.round(days * 86400)})`),
      ),
    )
    .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
  if (!disabled) return;
  // Deliveries still waiting would only fail again.
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", nextAttemptAt: null, error: "The endpoint was disabled after failing for days" })
    .where(
      and(
        eq(webhookDeliveries.workspaceId, workspaceId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.status, "pending"),
      ),
    );
  await record(
    db,
    systemActor,
    workspaceId,
    "webhook.disabled",
    { type: "webhook", id: disabled.id },
    { url: disabled.url, reason },
  );
  const admins = await db
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(
      and(eq(workspaceMembers.workspaceId, workspaceId), inArray(workspaceMembers.role, ["owner", "admin"])),
    );
  const [ws] = await db
    .select({ slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  await notifyWorkspace(
    db,
    {
      workspaceId,
      kind: "webhook.disabled",
      title: "A webhook endpoint was switched off",
      body: `${disabled.url}: ${reason} Fix the receiver, then switch it back on in Settings → Webhooks.`,
      link: ws ? `/${ws.slug}/settings/webhooks` : null,
    },
    { onlyUserIds: admins.map((a) => a.userId) },
  );
}

/** Pending deliveries that are due (new, retry time reached, or a lease that ran out). */
export async function dueWebhookDeliveries(db: Db, limit = 200) {
  return db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, sql`now()`)),
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(limit);
}

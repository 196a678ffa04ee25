import { and, desc, eq, sql } from "drizzle-orm";
import { decryptSecret, encryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { webhookDeliveries, webhookEndpoints } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { parseOrThrow } from "./parse";
import {
  type CreateWebhookEndpointInput,
  createWebhookEndpointInput,
  endpointIdInput,
  listDeliveriesInput,
  type UpdateWebhookEndpointInput,
  updateWebhookEndpointInput,
} from "./schemas";
import { generateWebhookSecret } from "./sign";

/** Every column but the sealed secret. */
const publicColumns = {
  id: webhookEndpoints.id,
  workspaceId: webhookEndpoints.workspaceId,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled,
  disabledReason: webhookEndpoints.disabledReason,
  disabledAt: webhookEndpoints.disabledAt,
  failingSince: webhookEndpoints.failingSince,
  createdBy: webhookEndpoints.createdBy,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

export type WebhookEndpoint = Omit<typeof webhookEndpoints.$inferSelect, "secretEncrypted">;

/** Registers an endpoint; its signing secret is returned here and can be revealed again by admins. */
export async function createWebhookEndpoint(ctx: WorkspaceServiceContext, input: CreateWebhookEndpointInput) {
  const { url, description, events } = parseOrThrow(createWebhookEndpointInput, input);
  const secret = generateWebhookSecret();
  const endpoint = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        workspaceId: ctx.workspaceId,
        url,
        description,
        events,
        secretEncrypted: encryptSecret(secret),
        createdBy: ctx.actor.userId,
      })
      .returning(publicColumns);
    if (!row) throw new Error("insert returned no row");
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      "webhook.created",
      { type: "webhook", id: row.id },
      { url, events },
    );
    return row;
  });
  return { endpoint, secret };
}

export async function listWebhookEndpoints(db: Db, workspaceId: string) {
  const lastStatus = sql<string | null>`(
    select d.status from ${webhookDeliveries} d
    where d.endpoint_id = ${webhookEndpoints.id} and d.workspace_id = ${webhookEndpoints.workspaceId}
    order by d.created_at desc limit 1)`;
  return db
    .select({ ...publicColumns, lastDeliveryStatus: lastStatus })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, workspaceId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
}

async function getEndpointRow(db: Db, workspaceId: string, endpointId: string) {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Webhook endpoint not found");
  return row;
}

export async function revealWebhookSecret(ctx: WorkspaceServiceContext, input: { endpointId: string }) {
  const { endpointId } = parseOrThrow(endpointIdInput, input);
  const row = await getEndpointRow(ctx.db, ctx.workspaceId, endpointId);
  return { secret: decryptSecret(row.secretEncrypted) };
}

export async function rotateWebhookSecret(ctx: WorkspaceServiceContext, input: { endpointId: string }) {
  const { endpointId } = parseOrThrow(endpointIdInput, input);
  const secret = generateWebhookSecret();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ secretEncrypted: encryptSecret(secret) })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, ctx.workspaceId)))
      .returning({ id: webhookEndpoints.id });
    if (!row) throw new NotFoundError("Webhook endpoint not found");
    await record(tx, ctx.actor, ctx.workspaceId, "webhook.secret_rotated", { type: "webhook", id: row.id });
  });
  return { secret };
}

/** Changes URL, description, events or the on/off switch; switching on clears an automatic disable. */
export async function updateWebhookEndpoint(ctx: WorkspaceServiceContext, input: UpdateWebhookEndpointInput) {
  const { endpointId, ...changes } = parseOrThrow(updateWebhookEndpointInput, input);
  return ctx.db.transaction(async (tx) => {
    const set: Partial<typeof webhookEndpoints.$inferInsert> = {};
    if (changes.url !== undefined) set.url = changes.url;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.events !== undefined) set.events = changes.events;
    if (changes.enabled === true)
      Object.assign(set, { enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
    if (changes.enabled === false)
      Object.assign(set, { enabled: false, disabledAt: new Date(), disabledReason: null });
    const where = and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, ctx.workspaceId));
    const [row] =
      Object.keys(set).length > 0
        ? await tx.update(webhookEndpoints).set(set).where(where).returning(publicColumns)
        : await tx.select(publicColumns).from(webhookEndpoints).where(where);
    if (!row) throw new NotFoundError("Webhook endpoint not found");
    if (Object.keys(set).length > 0) {
      await record(
        tx,
        ctx.actor,
        ctx.workspaceId,
        "webhook.updated",
        { type: "webhook", id: row.id },
        {
          url: row.url,
          changed: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined),
        },
      );
    }
    return row;
  });
}

export async function deleteWebhookEndpoint(ctx: WorkspaceServiceContext, input: { endpointId: string }) {
  const { endpointId } = parseOrThrow(endpointIdInput, input);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, ctx.workspaceId)))
      .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
    if (!row) throw new NotFoundError("Webhook endpoint not found");
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      "webhook.deleted",
      { type: "webhook", id: row.id },
      { url: row.url },
    );
  });
  return { ok: true as const };
}

/** Newest first; the log a person reads to see what the receiver answered. */
export async function listWebhookDeliveries(
  db: Db,
  workspaceId: string,
  input: { endpointId: string; limit?: number },
) {
  const { endpointId, limit } = parseOrThrow(listDeliveriesInput, input);
  await getEndpointRow(db, workspaceId, endpointId);
  return db
    .select({
      id: webhookDeliveries.id,
      messageId: webhookDeliveries.messageId,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      responseStatus: webhookDeliveries.responseStatus,
      responseBody: webhookDeliveries.responseBody,
      error: webhookDeliveries.error,
      durationMs: webhookDeliveries.durationMs,
      payload: webhookDeliveries.payload,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.endpointId, endpointId)))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

import { and, arrayContains, asc, eq, gt, lte, sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { leads, webhookEndpoints } from "@/server/db/schema";
import { emitWebhookEvent } from "./emit";

/*
 * `lead.created` payloads (the `data` of `{ type, timestamp, data }`):
 *
 * - one lead (form signup, the app, the REST API):
 *     data: { id, email, name, status, source, tags, customFields, createdAt }
 * - a CSV import, after it has committed: the leads it inserted (not those it updated or skipped),
 *   in deliveries of up to IMPORT_WEBHOOK_BATCH leads each, in file order:
 *     data: { source: "import", jobId, batch: { index, count }, leads: [ { id, email, … }, … ] }
 *   `jobId` is the import's job (GET /api/v1/jobs/{jobId}); `batch.index` counts from 0 and
 *   `batch.count` is the number of deliveries for the import. Receivers tell the two shapes apart
 *   by `data.source === "import"` (or `Array.isArray(data.leads)`).
 */

/** The lead as webhook receivers see it (no internal columns). */
const leadColumns = {
  id: leads.id,
  email: leads.email,
  name: leads.name,
  status: leads.status,
  source: leads.source,
  tags: leads.tags,
  customFields: leads.customFields,
  createdAt: leads.createdAt,
};

async function leadPayload(db: Db, workspaceId: string, leadId: string) {
  const [lead] = await db
    .select(leadColumns)
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  return lead ?? null;
}

export async function emitLeadCreatedWebhook(db: Db, workspaceId: string, leadId: string) {
  const lead = await leadPayload(db, workspaceId, leadId).catch(() => null);
  if (lead) await emitWebhookEvent(db, workspaceId, "lead.created", lead);
}

export async function emitLeadUnsubscribedWebhook(
  db: Db,
  workspaceId: string,
  leadId: string,
  extra: Record<string, unknown> = {},
) {
  const lead = await leadPayload(db, workspaceId, leadId).catch(() => null);
  if (lead) await emitWebhookEvent(db, workspaceId, "lead.unsubscribed", { ...lead, ...extra });
}

/** Leads per `lead.created` delivery of an import. */
export const IMPORT_WEBHOOK_BATCH = 100;

const uuidOf = (hex32: string) =>
  `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;

/**
 * After an import committed: `lead.created` for the leads it inserted, IMPORT_WEBHOOK_BATCH per
 * delivery — only when an enabled endpoint of the workspace subscribes to it (otherwise a single
 * indexed query, so imports are not slowed). Never throws.
 *
 * Which leads: an import gives the rows it inserts time-ordered ids sharing one 24-hex prefix
 * (UUIDv7 layout: the milliseconds it started, version 7, random bits) and ending in the row
 * number; other leads get random (v4) ids. So the import's leads are the v7 ids of the workspace
 * whose timestamp falls in the job's lifetime, grouped by prefix — the group of `imported` rows
 * (another import running meanwhile has its own prefix).
 */
export async function emitImportedLeadsWebhooks(
  db: Db,
  p: { workspaceId: string; jobId: string; startedAt: Date; imported: number },
): Promise<{ deliveries: number; leads: number }> {
  const none = { deliveries: 0, leads: 0 };
  try {
    if (p.imported <= 0) return none;
    const [subscribed] = await db
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.workspaceId, p.workspaceId),
          eq(webhookEndpoints.enabled, true),
          arrayContains(webhookEndpoints.events, ["lead.created"]),
        ),
      )
      .limit(1);
    if (!subscribed) return none;

    // The job's lifetime, widened for clock skew between the job row (database clock) and the ids
    // (the app's clock).
    const skewMs = 5 * 60_000;
    const msHex = (ms: number) => Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
    const lo = uuidOf(`${msHex(p.startedAt.getTime() - skewMs)}00000000000000000000`);
    const hi = uuidOf(`${msHex(Date.now() + skewMs)}ffffffffffffffffffff`);
    const groups = await db.execute<{ prefix: string; n: number }>(sql`
      select substr(replace(${leads.id}::text, '-', ''), 1, 24) as prefix, count(*)::int as n
      from ${leads}
      where ${leads.workspaceId} = ${p.workspaceId} and ${leads.id} between ${lo}::uuid and ${hi}::uuid
        and substr(${leads.id}::text, 15, 1) = '7'
      group by 1`);
    const rows = (
      Array.isArray(groups) ? groups : (groups as { rows: { prefix: string; n: number }[] }).rows
    ) as {
      prefix: string;
      n: number;
    }[];
    const group = rows.find((g) => Number(g.n) === p.imported) ?? (rows.length === 1 ? rows[0] : undefined);
    if (!group) {
      logger.warn({ workspaceId: p.workspaceId, jobId: p.jobId }, "imported leads not found for webhooks");
      return none;
    }
    const first = uuidOf(`${group.prefix}00000000`);
    const last = uuidOf(`${group.prefix}ffffffff`);
    const count = Math.ceil(Number(group.n) / IMPORT_WEBHOOK_BATCH);
    let cursor: string | null = null;
    let index = 0;
    let sent = 0;
    for (;;) {
      const page = await db
        .select(leadColumns)
        .from(leads)
        .where(
          and(
            eq(leads.workspaceId, p.workspaceId),
            cursor ? gt(leads.id, cursor) : sql`${leads.id} >= ${first}::uuid`,
            lte(leads.id, last),
          ),
        )
        .orderBy(asc(leads.id))
        .limit(IMPORT_WEBHOOK_BATCH);
      if (page.length === 0) break;
      await emitWebhookEvent(db, p.workspaceId, "lead.created", {
        source: "import",
        jobId: p.jobId,
        batch: { index, count },
        leads: page,
      });
      index++;
      sent += page.length;
      cursor = page[page.length - 1]!.id;
      if (page.length < IMPORT_WEBHOOK_BATCH) break;
    }
    return { deliveries: index, leads: sent };
  } catch (err) {
    logger.error({ err, workspaceId: p.workspaceId, jobId: p.jobId }, "could not queue import webhooks");
    return none;
  }
}

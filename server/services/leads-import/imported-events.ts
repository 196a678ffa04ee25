import "server-only";
import { and, arrayContains, asc, eq, gt, lte, sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { leads, webhookEndpoints } from "@/server/db/schema";
import { domainEvent, type NewDomainEvent } from "../domain-events/types";
import { IMPORT_WEBHOOK_BATCH } from "../webhooks/events";

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

const uuidOf = (hex32: string) =>
  `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20)}`;

/**
 * The `lead.imported` events of a finished import: the leads it inserted, IMPORT_WEBHOOK_BATCH per
 * event (each becomes one `lead.created` webhook delivery) — only when an enabled endpoint of the
 * workspace subscribes to `lead.created` (otherwise a single indexed query, so imports are not
 * slowed; imports start no triggered campaigns). Recorded in the transaction that marks the run
 * succeeded.
 *
 * Which leads: an import gives the rows it inserts time-ordered ids sharing one 24-hex prefix
 * (UUIDv7 layout: the milliseconds it started, version 7, random bits) and ending in the row
 * number; other leads get random (v4) ids. So the import's leads are the v7 ids of the workspace
 * whose timestamp falls in the job's lifetime, grouped by prefix — the group of `imported` rows
 * (another import running meanwhile has its own prefix).
 */
export async function importedLeadEvents(
  db: Db,
  p: { workspaceId: string; jobId: string; startedAt: Date; imported: number },
): Promise<NewDomainEvent[]> {
  if (p.imported <= 0) return [];
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
  if (!subscribed) return [];

  // The job's lifetime, widened for clock skew between the job row (database clock) and the ids
  // (the app's clock).
  const skewMs = 5 * 60_000;
  const msHex = (ms: number) => Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  const lo = uuidOf(`${msHex(p.startedAt.getTime() - skewMs)}00000000000000000000`);
  const hi = uuidOf(`${msHex(Date.now() + skewMs)}ffffffffffffffffffff`);
  const groups = rowsOf<{ prefix: string; n: number }>(
    await db.execute(sql`
      select substr(replace(${leads.id}::text, '-', ''), 1, 24) as prefix, count(*)::int as n
      from ${leads}
      where ${leads.workspaceId} = ${p.workspaceId} and ${leads.id} between ${lo}::uuid and ${hi}::uuid
        and substr(${leads.id}::text, 15, 1) = '7'
      group by 1`),
  );
  const group =
    groups.find((g) => Number(g.n) === p.imported) ?? (groups.length === 1 ? groups[0] : undefined);
  if (!group) {
    logger.warn({ workspaceId: p.workspaceId, jobId: p.jobId }, "imported leads not found for webhooks");
    return [];
  }
  const first = uuidOf(`${group.prefix}00000000`);
  const last = uuidOf(`${group.prefix}ffffffff`);
  const count = Math.ceil(Number(group.n) / IMPORT_WEBHOOK_BATCH);
  const events: NewDomainEvent[] = [];
  let cursor: string | null = null;
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
    events.push(
      domainEvent(p.workspaceId, "lead.imported", {
        jobId: p.jobId,
        batch: { index: events.length, count },
        leads: page,
      }),
    );
    cursor = page[page.length - 1]!.id;
    if (page.length < IMPORT_WEBHOOK_BATCH) break;
  }
  return events;
}

import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { cached } from "@/lib/cache";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { NotFoundError } from "@/server/errors";
import { type ResolvedRange, resolveRange } from "../schemas";

/**
 * What every dashboard query shares. The queries read only the daily rollups (plus a few small
 * index lookups: campaign names, content titles, what is scheduled next) and never scan raw event
 * tables. Results are cached per workspace for CACHE_TTL_MS; the rollup job invalidates a
 * workspace when it writes it.
 */

export const CACHE_TTL_MS = 60_000;
export const cacheNamespace = (workspaceId: string) => `analytics:${workspaceId}`;

export const num = (v: unknown) => Number(v ?? 0);
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(q));
}

export interface Freshness {
  rolledUpAt: string | null;
  contentSyncedAt: string | null;
  emailEventAt: string | null;
  leadAt: string | null;
  orderAt: string | null;
}

async function workspaceContext(db: Db, workspaceId: string) {
  const [w] = await rows<{ time_zone: string }>(
    db,
    sql`select time_zone from workspaces where id = ${workspaceId}`,
  );
  if (!w) throw new NotFoundError("Workspace not found");
  return { timeZone: w.time_zone };
}

async function freshness(db: Db, workspaceId: string): Promise<Freshness> {
  const [f] = await rows<Record<string, string | null>>(
    db,
    sql`select rolled_up_at::text as r, content_synced_at::text as c, email_event_at::text as e, lead_at::text as l,
      order_at::text as o from analytics_freshness where workspace_id = ${workspaceId}`,
  );
  const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);
  return {
    rolledUpAt: iso(f?.r),
    contentSyncedAt: iso(f?.c),
    emailEventAt: iso(f?.e),
    leadAt: iso(f?.l),
    orderAt: iso(f?.o),
  };
}

/** Parses input, resolves the range in the workspace's zone, caches the result. */
export async function withRange<I, T>(
  db: Db,
  workspaceId: string,
  name: string,
  parsed: I & { preset: ResolvedRange["preset"]; from?: string; to?: string; compare: boolean },
  compute: (r: ResolvedRange, timeZone: string) => Promise<T>,
  extraKey = "",
): Promise<T & { range: ResolvedRange; timeZone: string; freshness: Freshness }> {
  const { timeZone } = await workspaceContext(db, workspaceId);
  const range = resolveRange(parsed, timeZone);
  const key = `${name}:${range.from}:${range.to}:${range.compare}:${extraKey}`;
  return cached(cacheNamespace(workspaceId), key, CACHE_TTL_MS, async () => {
    const [result, fresh] = await Promise.all([compute(range, timeZone), freshness(db, workspaceId)]);
    return { ...result, range, timeZone, freshness: fresh };
  });
}

export const span = (r: ResolvedRange) =>
  r.compare ? { lo: r.previous.from, hi: r.to } : { lo: r.from, hi: r.to };
export const cur = (r: ResolvedRange) => sql`day between ${r.from}::date and ${r.to}::date`;
export const prev = (r: ResolvedRange) =>
  sql`day between ${r.previous.from}::date and ${r.previous.to}::date`;

export interface Kpi {
  value: number;
  previous: number | null;
}
export const kpi = (value: number, previous: number, r: ResolvedRange): Kpi => ({
  value,
  previous: r.compare ? previous : null,
});

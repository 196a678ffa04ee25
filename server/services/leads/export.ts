import "server-only";
import { stringify } from "csv-stringify/sync";
import { csvCell as cell } from "@/lib/csv-safe";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { listCustomFields } from "./custom-fields";
import { leadFilterWhere, listLeadsPage } from "./leads";
import type { LeadFilters } from "./schemas";

export const EXPORT_BATCH_SIZE = 1000;

/**
 * The leads matching `filters` as CSV text chunks: a header, then one chunk per keyset page of
 * `batchSize` rows, so memory stays flat whatever the size. Records `lead.exported` with the row
 * count once the last chunk is produced.
 */
export async function* exportLeadsCsv(
  ctx: WorkspaceServiceContext,
  filters: LeadFilters,
  opts: { batchSize?: number } = {},
): AsyncGenerator<string> {
  const batchSize = opts.batchSize ?? EXPORT_BATCH_SIZE;
  const where = await leadFilterWhere(ctx.db, ctx.workspaceId, filters);
  const fields = await listCustomFields(ctx.db, ctx.workspaceId);
  yield stringify([["email", "name", "status", "source", "tags", "created_at", ...fields.map((f) => f.key)]]);
  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await listLeadsPage(ctx.db, where, {
      cursor,
      limit: batchSize,
      sort: "createdAt",
      order: "asc",
    });
    if (page.items.length) {
      yield stringify(
        page.items.map((l) => [
          cell(l.email),
          cell(l.name),
          cell(l.status),
          cell(l.source),
          cell(l.tags.join(";")),
          cell(l.createdAt),
          ...fields.map((f) => cell(l.customFields[f.key])),
        ]),
      );
    }
    rows += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const { ids, ...rest } = filters;
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "lead.exported",
    { type: "lead", id: null },
    {
      filters: { ...rest, ...(ids && { selected: ids.length }) },
      rows,
    },
  );
}

/** `leads-<slug>-<YYYY-MM-DD>.csv` */
export function exportFileName(slug: string, now = new Date()) {
  return `leads-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}

/** Reads the list filters from an export URL's query string (same names as the list input). */
export function filtersFromSearchParams(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ["search", "status", "source", "segmentId"] as const) {
    const v = params.get(k);
    if (v) out[k] = v;
  }
  const tags = params
    .getAll("tags")
    .flatMap((t) => t.split(","))
    .filter(Boolean);
  if (tags.length) out.tags = tags;
  const ids = params
    .getAll("ids")
    .flatMap((t) => t.split(","))
    .filter(Boolean);
  if (ids.length) out.ids = ids;
  const key = params.get("customKey");
  if (key) out.custom = { key, value: params.get("customValue") ?? "" };
  return out;
}

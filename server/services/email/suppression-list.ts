import "server-only";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { and, desc, eq, ilike, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { csvCell } from "@/lib/csv-safe";
import type { Db } from "@/server/db";
import { refreshStalePlannerFigures } from "@/server/db/planner-figures";
import {
  emailCampaigns,
  emailSuppressions,
  SUPPRESSION_REASONS,
  type SuppressionReason,
} from "@/server/db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { hasRole } from "../workspaces/roles";
import {
  type AddSuppressionInput,
  addSuppressionInput,
  type ImportSuppressionsInput,
  importSuppressionsInput,
  type ListSuppressionsInput,
  listSuppressionsInput,
  parseSuppressionValue,
  SUPPRESSION_IMPORT_MAX_LISTED,
  SUPPRESSION_IMPORT_MAX_ROWS,
  type SuppressionImportResult,
} from "./suppression-schemas";

const entity = (id: string | null) => ({ type: "suppression", id });

// The cursor carries the row's created_at as Postgres text (microseconds survive) and its id.
function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (typeof at === "string" && z.uuid().safeParse(id).success) return { at, id };
  } catch {}
  throw new ValidationError("This page link is not valid; go back to the first page");
}

function filterConds(workspaceId: string, input: { search?: string; kind?: string; reason?: string }) {
  const conds: SQL[] = [eq(emailSuppressions.workspaceId, workspaceId)];
  if (input.kind) conds.push(eq(emailSuppressions.kind, input.kind as "address"));
  if (input.reason) conds.push(eq(emailSuppressions.reason, input.reason as SuppressionReason));
  if (input.search) {
    const like = `%${input.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(emailSuppressions.value, like), ilike(emailSuppressions.note, like))!);
  }
  return conds;
}

/** One page of the list, newest first (keyset on created_at, id), with the campaign's name. */
export async function listSuppressions(db: Db, workspaceId: string, raw: ListSuppressionsInput) {
  const input = listSuppressionsInput.parse(raw);
  const conds = filterConds(workspaceId, input);
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    conds.push(
      or(
        lt(emailSuppressions.createdAt, sql`${c.at}::timestamptz`),
        and(eq(emailSuppressions.createdAt, sql`${c.at}::timestamptz`), lt(emailSuppressions.id, c.id)),
      )!,
    );
  }
  const rows = await db
    .select({
      id: emailSuppressions.id,
      kind: emailSuppressions.kind,
      value: emailSuppressions.value,
      reason: emailSuppressions.reason,
      note: emailSuppressions.note,
      leadId: emailSuppressions.leadId,
      campaignId: emailSuppressions.campaignId,
      campaignName: emailCampaigns.name,
      createdAt: emailSuppressions.createdAt,
      createdAtText: sql<string>`${emailSuppressions.createdAt}::text`,
    })
    .from(emailSuppressions)
    .leftJoin(
      emailCampaigns,
      and(
        eq(emailCampaigns.id, emailSuppressions.campaignId),
        eq(emailCampaigns.workspaceId, emailSuppressions.workspaceId),
      ),
    )
    .where(and(...conds))
    .orderBy(desc(emailSuppressions.createdAt), desc(emailSuppressions.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdAtText: _t, ...r }) => r),
    nextCursor:
      more && last
        ? Buffer.from(JSON.stringify([last.createdAtText, last.id]), "utf8").toString("base64url")
        : null,
  };
}

/** How many entries the workspace has (the page's heading). */
export async function countSuppressions(db: Db, workspaceId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(emailSuppressions)
    .where(eq(emailSuppressions.workspaceId, workspaceId));
  return { total: Number(row?.n ?? 0) };
}

/** Adds an address or domain by hand (reason `manual`); a value already listed is a 409. */
export async function addSuppression(ctx: WorkspaceServiceContext, raw: AddSuppressionInput) {
  const parsed = addSuppressionInput.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues[0]?.message ?? "Enter an email address or a domain";
    throw new ValidationError(msg, { value: [msg] });
  }
  const { value, note } = parsed.data;
  const [row] = await ctx.db
    .insert(emailSuppressions)
    .values({
      workspaceId: ctx.workspaceId,
      kind: value.kind,
      value: value.value,
      reason: "manual",
      note: note || null,
      createdBy: ctx.actor.userId,
    })
    .onConflictDoNothing({
      target: [emailSuppressions.workspaceId, emailSuppressions.kind, emailSuppressions.value],
    })
    .returning();
  if (!row) {
    throw new ConflictError(`${value.value} is already on the suppression list`, {
      value: ["Already on the list"],
    });
  }
  await record(ctx.db, ctx.actor, ctx.workspaceId, "suppression.added", entity(row.id), {
    kind: row.kind,
    value: row.value,
    reason: row.reason,
  });
  return row;
}

/**
 * Removes an entry: the address (or domain) may be mailed again by campaigns resolved from now on.
 * A lead that bounced, complained or unsubscribed keeps that status — removing does not reactivate it.
 */
export async function removeSuppression(ctx: WorkspaceServiceContext, id: string) {
  if (ctx.actorRole && !hasRole(ctx.actorRole, "admin")) {
    throw new ForbiddenError("Only admins remove entries from the suppression list");
  }
  const [row] = await ctx.db
    .delete(emailSuppressions)
    .where(and(eq(emailSuppressions.id, id), eq(emailSuppressions.workspaceId, ctx.workspaceId)))
    .returning();
  if (!row) throw new NotFoundError("This entry is not on the suppression list");
  await record(ctx.db, ctx.actor, ctx.workspaceId, "suppression.removed", entity(row.id), {
    kind: row.kind,
    value: row.value,
    reason: row.reason,
  });
  return { id: row.id };
}

const HEADER_VALUE = /^(email|e-mail|address|email address|domain|value)$/i;
const IMPORT_CHUNK = 1000;

/**
 * Imports a CSV: the first column holds addresses or domains; an optional second column a reason
 * (bounced, complained, unsubscribed, manual; anything else or nothing → imported) and a third a
 * note. A header row is recognised by its first cell (email, address, domain or value); with one,
 * the `reason` and `note` columns are found by name, so an export imports back as it was. Rows are counted added / already listed /
 * invalid (a formula cell such as `=HYPERLINK(...)` is invalid like any other non-address).
 */
export async function importSuppressions(
  ctx: WorkspaceServiceContext,
  raw: ImportSuppressionsInput,
): Promise<SuppressionImportResult> {
  const parsedInput = importSuppressionsInput.safeParse(raw);
  if (!parsedInput.success) {
    const msg = parsedInput.error.issues[0]?.message ?? "Not a CSV file";
    throw new ValidationError(msg, { csv: [msg] });
  }
  const { csv, fileName } = parsedInput.data;
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ""), {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      to_line: SUPPRESSION_IMPORT_MAX_ROWS + 2,
    }) as string[][];
  } catch (err) {
    const msg = `This file is not a readable CSV: ${err instanceof Error ? err.message : String(err)}`;
    throw new ValidationError(msg.slice(0, 300), { csv: ["Not a readable CSV"] });
  }
  const header = records.length > 0 && HEADER_VALUE.test(records[0]?.[0] ?? "");
  // With a header, `reason` and `note` are found by name (an export reads back as it was written).
  const names = header ? (records.shift() ?? []).map((c) => c.toLowerCase()) : [];
  const reasonAt = header ? names.indexOf("reason") : 1;
  const noteAt = header ? names.indexOf("note") : 2;
  if (records.length === 0) throw new ValidationError("The file has no rows", { csv: ["No rows"] });
  if (records.length > SUPPRESSION_IMPORT_MAX_ROWS) {
    throw new ValidationError(
      `The file has more than ${SUPPRESSION_IMPORT_MAX_ROWS.toLocaleString("en")} rows: split it and import each part`,
      { csv: ["Too many rows"] },
    );
  }
  const result: SuppressionImportResult = { added: 0, already: 0, invalid: 0, invalidRows: [] };
  const seen = new Set<string>();
  const valid: {
    kind: "address" | "domain";
    value: string;
    reason: SuppressionReason;
    note: string | null;
  }[] = [];
  const note = fileName ? `Imported from ${fileName}` : "Imported";
  records.forEach((r, i) => {
    const cell = r[0] ?? "";
    const p = parseSuppressionValue(cell);
    if (!p.ok) {
      result.invalid++;
      if (result.invalidRows.length < SUPPRESSION_IMPORT_MAX_LISTED) {
        result.invalidRows.push({ line: i + (header ? 2 : 1), value: cell.slice(0, 200), reason: p.reason });
      }
      return;
    }
    const key = `${p.kind}:${p.value}`;
    if (seen.has(key)) {
      result.already++;
      return;
    }
    seen.add(key);
    const given = (r[reasonAt] ?? "").toLowerCase();
    const reason = (SUPPRESSION_REASONS as readonly string[]).includes(given)
      ? (given as SuppressionReason)
      : "imported";
    valid.push({ kind: p.kind, value: p.value, reason, note: (r[noteAt] || note).slice(0, 1000) });
  });
  for (let i = 0; i < valid.length; i += IMPORT_CHUNK) {
    const chunk = valid.slice(i, i + IMPORT_CHUNK);
    const inserted = await ctx.db
      .insert(emailSuppressions)
      .values(chunk.map((v) => ({ ...v, workspaceId: ctx.workspaceId, createdBy: ctx.actor.userId })))
      .onConflictDoNothing({
        target: [emailSuppressions.workspaceId, emailSuppressions.kind, emailSuppressions.value],
      })
      .returning({ id: emailSuppressions.id });
    result.added += inserted.length;
    result.already += chunk.length - inserted.length;
  }
  // Audience and live-count queries join every lead with this list: keep the planner's figures true.
  if (result.added > 0) await refreshStalePlannerFigures(ctx.db, ["email_suppressions"]);
  await record(ctx.db, ctx.actor, ctx.workspaceId, "suppression.imported", entity(null), {
    fileName: fileName ?? null,
    added: result.added,
    already: result.already,
    invalid: result.invalid,
  });
  return result;
}

/** The largest export (rows); a bigger list is cut there and says so in the file name. */
export const SUPPRESSION_EXPORT_MAX_ROWS = 200_000;

/**
 * The list (with the page's filters) as CSV: value, kind, reason, note, campaign, created_at. Every
 * text cell goes through csvCell, so a value or note cannot run as a spreadsheet formula.
 */
export async function exportSuppressionsCsv(
  ctx: WorkspaceServiceContext,
  raw: Omit<ListSuppressionsInput, "cursor" | "limit">,
) {
  const filters = listSuppressionsInput.parse({ ...raw, limit: 200 });
  const chunks = [stringify([["value", "kind", "reason", "note", "campaign", "created_at"]])];
  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await listSuppressions(ctx.db, ctx.workspaceId, { ...filters, cursor, limit: 200 });
    chunks.push(
      stringify(
        page.items.map((r) => [
          csvCell(r.value),
          csvCell(r.kind),
          csvCell(r.reason),
          csvCell(r.note),
          csvCell(r.campaignName),
          csvCell(r.createdAt),
        ]),
      ),
    );
    rows += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows < SUPPRESSION_EXPORT_MAX_ROWS);
  await record(ctx.db, ctx.actor, ctx.workspaceId, "suppression.exported", entity(null), {
    filters: { search: filters.search ?? null, kind: filters.kind ?? null, reason: filters.reason ?? null },
    rows,
  });
  return {
    fileName: `suppressions-${new Date().toISOString().slice(0, 10)}.csv`,
    csv: chunks.join(""),
    rows,
  };
}

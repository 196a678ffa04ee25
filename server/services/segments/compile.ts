import { and, count, eq, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { emailEvents, leads } from "@/server/db/schema";
import { isRealIsoDate, type SegmentCondition, type SegmentCriteria } from "./criteria-schemas";

// Kept importable from here: the campaign editor validates criteria with it.
export { criteriaProblems } from "./schemas";

export interface CompileContext {
  workspaceId: string;
}

/** `%`, `_` and `\` are data in a `contains` search, not wildcards. */
export function escapeLike(term: string) {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// A jsonb value that is not a plain decimal must not reach `::numeric`: the cast would fail the query.
const NUMERIC_TEXT = "^-?[0-9]+(\\.[0-9]+)?$";

const customText = (key: string) => sql`(${leads.customFields} ->> ${key}::text)`;

function customNumber(key: string) {
  const text = customText(key);
  return sql`(case when ${text} ~ ${NUMERIC_TEXT} then ${text}::numeric end)`;
}

function numericValue(value: string | number | boolean): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "string" && new RegExp(NUMERIC_TEXT).test(value.trim())) return value.trim();
  return null;
}

const NOTHING = sql`false`;

function humanEvent(ctx: CompileContext, type: "open" | "click", extra: SQL) {
  return sql`exists (select 1 from ${emailEvents} where ${emailEvents.workspaceId} = ${ctx.workspaceId}
    and ${emailEvents.leadId} = ${leads.id} and ${emailEvents.type} = ${type}
    and ${emailEvents.isMachine} = false and ${extra})`;
}

/** One condition as a boolean SQL expression; a value of the wrong kind for its operator matches nothing. */
function compileCondition(c: SegmentCondition, ctx: CompileContext): SQL {
  switch (c.field) {
    case "tag":
      return c.op === "has"
        ? sql`(${c.value}::text = any(${leads.tags}))`
        : sql`(not (${c.value}::text = any(${leads.tags})))`;
    case "status":
      return c.op === "is" ? sql`(${leads.status} = ${c.value})` : sql`(${leads.status} <> ${c.value})`;
    case "source":
      if (c.op === "is") return sql`(lower(${leads.source}) = lower(${c.value}::text))`;
      if (c.op === "is_not") return sql`(lower(${leads.source}) is distinct from lower(${c.value}::text))`;
      return sql`(${leads.source} ilike ${`%${escapeLike(c.value)}%`})`;
    case "created":
      if (c.op === "within_days") {
        if (typeof c.value !== "number") return NOTHING;
        return sql`(${leads.createdAt} >= now() - make_interval(days => ${c.value}::int))`;
      }
      // An impossible date (stored before dates were checked) must not reach `::date`: the cast would
      // fail the whole query, and with it every list that counts this rule.
      if (typeof c.value !== "string" || !isRealIsoDate(c.value)) return NOTHING;
      // "after 2026-03-01" means from the next day on; "before" means before that day began (UTC).
      return c.op === "before"
        ? sql`(${leads.createdAt} < (${c.value}::date)::timestamp at time zone 'UTC')`
        : sql`(${leads.createdAt} >= ((${c.value}::date) + 1)::timestamp at time zone 'UTC')`;
    case "custom": {
      const text = customText(c.key);
      if (c.op === "equals") {
        if (typeof c.value === "boolean") return sql`(${text} = ${String(c.value)}::text)`;
        const n = numericValue(c.value);
        if (typeof c.value === "number" && n !== null) return sql`(${customNumber(c.key)} = ${n}::numeric)`;
        return sql`(${text} = ${String(c.value)}::text)`;
      }
      if (c.op === "contains") {
        if (typeof c.value === "boolean") return NOTHING;
        return sql`(${text} ilike ${`%${escapeLike(String(c.value))}%`})`;
      }
      const cmp = c.op === "greater_than" ? sql.raw(">") : sql.raw("<");
      const n = numericValue(c.value);
      if (n !== null) return sql`(${customNumber(c.key)} ${cmp} ${n}::numeric)`;
      // Dates (YYYY-MM-DD) and other text compare byte-wise, which orders ISO dates correctly.
      if (typeof c.value === "string") return sql`(${text} collate "C" ${cmp} ${c.value}::text collate "C")`;
      return NOTHING;
    }
    case "engagement":
      if (c.op === "not_opened_in_days") {
        if (typeof c.value !== "number") return NOTHING;
        return sql`(not ${humanEvent(ctx, "open", sql`${emailEvents.createdAt} >= now() - make_interval(days => ${c.value}::int)`)})`;
      }
      if (typeof c.value !== "string") return NOTHING;
      return humanEvent(
        ctx,
        c.op === "opened_campaign" ? "open" : "click",
        sql`${emailEvents.campaignId} = ${c.value}::uuid`,
      );
  }
}

/**
 * A segment's rules as one SQL condition over `leads`, every value a bound parameter. Callers add
 * the workspace filter themselves: `and(eq(leads.workspaceId, ws), compileSegmentCriteria(c, { workspaceId: ws }))`.
 * No conditions match every lead.
 */
export function compileSegmentCriteria(criteria: SegmentCriteria, ctx: CompileContext): SQL {
  const parts = (criteria.conditions ?? []).map((c) => compileCondition(c, ctx));
  if (parts.length === 0) return sql`true`;
  return (criteria.match === "any" ? or(...parts) : and(...parts)) ?? sql`true`;
}

/** How many leads of the workspace match. */
export async function countSegment(db: Db, workspaceId: string, criteria: SegmentCriteria): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), compileSegmentCriteria(criteria, { workspaceId })));
  return row?.n ?? 0;
}

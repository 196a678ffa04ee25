import { isValid } from "date-fns/isValid";
import { parseISO } from "date-fns/parseISO";
import { z } from "zod";
import { LEAD_STATUSES } from "@/lib/enums";

/**
 * A calendar date Postgres's `::date` accepts: YYYY-MM-DD that exists (no 2026-02-30, no year 0).
 * The schema below only checks the shape, so rules stored before this check still parse and can be
 * shown for fixing; `criteriaProblems` and the compiler use this to refuse or skip impossible ones.
 */
export function isRealIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !value.startsWith("0000") && isValid(parseISO(value));
}

/** One rule of a segment. Values are data, never SQL: the compiler binds every one as a parameter. */
export const segmentConditionSchema = z.discriminatedUnion("field", [
  z.object({
    field: z.literal("tag"),
    op: z.enum(["has", "has_not"]),
    value: z.string().trim().min(1).max(50),
  }),
  z.object({ field: z.literal("status"), op: z.enum(["is", "is_not"]), value: z.enum(LEAD_STATUSES) }),
  z.object({
    field: z.literal("source"),
    op: z.enum(["is", "is_not", "contains"]),
    value: z.string().trim().max(255),
  }),
  z.object({
    field: z.literal("created"),
    op: z.enum(["before", "after", "within_days"]),
    /** ISO date (YYYY-MM-DD) for before/after; a number of days for within_days. */
    value: z.union([
      z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31"),
      z.number().int().min(1).max(3650),
    ]),
  }),
  z.object({
    field: z.literal("custom"),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
    op: z.enum(["equals", "contains", "greater_than", "less_than"]),
    value: z.union([z.string().max(1000), z.number(), z.boolean()]),
  }),
  z.object({
    field: z.literal("engagement"),
    op: z.enum(["opened_campaign", "clicked_campaign", "not_opened_in_days"]),
    /** A campaign id for opened/clicked; a number of days for not_opened_in_days. */
    value: z.union([z.uuid(), z.number().int().min(1).max(3650)]),
  }),
]);
export type SegmentCondition = z.infer<typeof segmentConditionSchema>;

export const segmentCriteriaSchema = z.object({
  match: z.enum(["all", "any"]).default("all"),
  conditions: z.array(segmentConditionSchema).max(50, "At most 50 conditions").default([]),
});
export type SegmentCriteria = z.infer<typeof segmentCriteriaSchema>;

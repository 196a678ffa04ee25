import { z } from "zod";
import { isRealIsoDate, type SegmentCriteria, segmentCriteriaSchema } from "./criteria-schemas";

/** A value of the wrong kind for its operator, or a date that does not exist, in condition `index`. */
export interface ConditionProblem {
  index: number;
  message: string;
}

/** Problems the criteria schema lets through, one per condition at most, in condition order. */
export function conditionProblems(criteria: SegmentCriteria): ConditionProblem[] {
  const problems: ConditionProblem[] = [];
  criteria.conditions.forEach((c, index) => {
    const add = (what: string) => problems.push({ index, message: `Condition ${index + 1}: ${what}` });
    if (c.field === "created") {
      if (c.op === "within_days" && typeof c.value !== "number") add("enter a number of days");
      else if (c.op !== "within_days" && typeof c.value !== "string") add("enter a date");
      else if (typeof c.value === "string" && !isRealIsoDate(c.value)) add(`${c.value} is not a real date`);
    }
    if (c.field === "engagement") {
      if (c.op === "not_opened_in_days" && typeof c.value !== "number") add("enter a number of days");
      if (c.op !== "not_opened_in_days" && typeof c.value !== "string") add("pick a campaign");
    }
    if (c.field === "custom" && c.op !== "equals" && c.op !== "contains" && typeof c.value === "boolean")
      add("compare with a number or a date");
  });
  return problems;
}

export function criteriaProblems(criteria: SegmentCriteria): string[] {
  return conditionProblems(criteria).map((p) => p.message);
}

/** Criteria as accepted from a form: the shared schema plus the value checks it cannot express. */
export const checkedCriteriaSchema = segmentCriteriaSchema.superRefine((criteria, ctx) => {
  for (const p of conditionProblems(criteria))
    ctx.addIssue({ code: "custom", message: p.message, path: ["conditions", p.index, "value"] });
});

export const segmentIdInput = z.object({ id: z.uuid() });
export const createSegmentInput = z.object({
  name: z.string().trim().min(1, "Give the segment a name").max(255),
  criteria: checkedCriteriaSchema,
});
export type CreateSegmentInput = z.infer<typeof createSegmentInput>;
export const updateSegmentInput = createSegmentInput.partial().extend({ id: z.uuid() });
export type UpdateSegmentInput = z.infer<typeof updateSegmentInput>;
export const previewSegmentInput = z.object({ criteria: checkedCriteriaSchema });

import { z } from "zod";
import { type SegmentCriteria, segmentCriteriaSchema } from "./criteria";

/** Problems the criteria schema lets through: a value of the wrong kind for its operator. */
export function criteriaProblems(criteria: SegmentCriteria): string[] {
  const problems: string[] = [];
  criteria.conditions.forEach((c, i) => {
    const at = `Condition ${i + 1}`;
    if (c.field === "created") {
      if (c.op === "within_days" && typeof c.value !== "number")
        problems.push(`${at}: enter a number of days`);
      if (c.op !== "within_days" && typeof c.value !== "string") problems.push(`${at}: enter a date`);
    }
    if (c.field === "engagement") {
      if (c.op === "not_opened_in_days" && typeof c.value !== "number")
        problems.push(`${at}: enter a number of days`);
      if (c.op !== "not_opened_in_days" && typeof c.value !== "string")
        problems.push(`${at}: pick a campaign`);
    }
    if (c.field === "custom" && c.op !== "equals" && c.op !== "contains" && typeof c.value === "boolean")
      problems.push(`${at}: compare with a number or a date`);
  });
  return problems;
}

/** Criteria as accepted from a form: the shared schema plus the value-kind checks it cannot express. */
export const checkedCriteriaSchema = segmentCriteriaSchema.superRefine((criteria, ctx) => {
  for (const message of criteriaProblems(criteria))
    ctx.addIssue({ code: "custom", message, path: ["conditions"] });
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

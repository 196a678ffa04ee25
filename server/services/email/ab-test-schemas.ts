import { z } from "zod";
import { BODY_MAX } from "./campaign-schemas";

export const AB_LABELS = ["A", "B", "C", "D"] as const;
export type AbLabel = (typeof AB_LABELS)[number];
/** Labels the editor adds; A is always the campaign's own email. */
export const EXTRA_LABELS = ["B", "C", "D"] as const;

export const AB_METRICS = ["opens", "clicks"] as const;
export type AbMetric = (typeof AB_METRICS)[number];

export const SHARE_MIN = 10;
export const SHARE_MAX = 50;
/** One hour to seven days. */
export const WAIT_MIN_MINUTES = 60;
export const WAIT_MAX_MINUTES = 7 * 24 * 60;

/** What the editor sets: how much of the audience is tested, how the winner is chosen, how long to wait. */
export const abTestSettingsSchema = z.object({
  sharePercent: z
    .number()
    .int("The test share is a whole percentage")
    .min(SHARE_MIN, `The test share must be at least ${SHARE_MIN} %`)
    .max(SHARE_MAX, `The test share must be at most ${SHARE_MAX} %`),
  metric: z.enum(AB_METRICS, "Choose opens or clicks"),
  waitMinutes: z
    .number()
    .int()
    .min(WAIT_MIN_MINUTES, "Wait at least one hour before choosing the winner")
    .max(WAIT_MAX_MINUTES, "Wait at most seven days before choosing the winner"),
});
export type AbTestSettings = z.infer<typeof abTestSettingsSchema>;

export const abVariantInput = z.object({
  label: z.enum(EXTRA_LABELS, "Variants are labelled B, C and D"),
  subject: z.string().trim().min(1, "Subject is required").max(200, "Subject must be at most 200 characters"),
  preheader: z.string().trim().max(200, "Preheader must be at most 200 characters").default(""),
  body: z
    .string()
    .max(BODY_MAX, "Body is too long")
    .refine((b) => b.trim() !== "", "Write the variant's email"),
});
export type AbVariantInput = z.infer<typeof abVariantInput>;

export const abTestIdInput = z.object({ campaignId: z.uuid("Pick a campaign") });

/** Saves the test of a draft or scheduled one-time campaign; `settings: null` removes it. */
export const saveAbTestInput = z
  .object({
    campaignId: z.uuid("Pick a campaign"),
    settings: abTestSettingsSchema.nullable(),
    variants: z.array(abVariantInput).max(3, "At most four variants (A–D)").default([]),
  })
  .superRefine((v, ctx) => {
    if (v.settings && v.variants.length === 0) {
      ctx.addIssue({ code: "custom", path: ["variants"], message: "Add at least variant B to test" });
    }
    v.variants.forEach((variant, i) => {
      if (variant.label !== EXTRA_LABELS[i]) {
        ctx.addIssue({
          code: "custom",
          path: ["variants", i, "label"],
          message: "Variants are B, C, D in order",
        });
      }
    });
  });
export type SaveAbTestInput = z.infer<typeof saveAbTestInput>;

export const decideAbTestInput = z.object({
  campaignId: z.uuid("Pick a campaign"),
  /** The variant to send to the rest; omitted: the one leading on the test's metric now. */
  variantId: z.uuid("Pick a variant").optional(),
});

export interface AbVariantResult {
  variantId: string;
  label: AbLabel;
  sent: number;
  opens: number;
  clicks: number;
}

/** `email_campaigns.ab_test`: the settings, and once started the test's state. */
export interface AbTestState extends AbTestSettings {
  phase?: "testing" | "decided";
  /** People in the test share (round(share × audience)). */
  testSize?: number;
  audienceSize?: number;
  testEndsAt?: string;
  winnerVariantId?: string | null;
  decidedAt?: string | null;
  decidedBy?: "schedule" | "manual" | null;
  /** Per-variant counts the decision was made on (people, machines left out). */
  results?: AbVariantResult[];
  /** People mailed the winner after the decision. */
  restSize?: number;
}

const stateSchema = abTestSettingsSchema.extend({
  phase: z.enum(["testing", "decided"]).optional(),
  testSize: z.number().int().optional(),
  audienceSize: z.number().int().optional(),
  testEndsAt: z.string().optional(),
  winnerVariantId: z.string().nullable().optional(),
  decidedAt: z.string().nullable().optional(),
  decidedBy: z.enum(["schedule", "manual"]).nullable().optional(),
  results: z
    .array(
      z.object({
        variantId: z.string(),
        label: z.enum(AB_LABELS),
        sent: z.number(),
        opens: z.number(),
        clicks: z.number(),
      }),
    )
    .optional(),
  restSize: z.number().int().optional(),
});

/** The stored jsonb read back (null when there is no test or it no longer parses). */
export function parseAbTest(raw: unknown): AbTestState | null {
  if (raw === null || raw === undefined) return null;
  const parsed = stateSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

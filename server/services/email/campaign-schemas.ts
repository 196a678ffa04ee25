import { z } from "zod";
import { EMAIL_BODY_FORMATS, emailBlocksSchema } from "@/lib/email-blocks";
import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES } from "@/lib/enums";
import { segmentCriteriaSchema } from "../segments/criteria-schemas";

export const campaignTypeSchema = z.enum(CAMPAIGN_TYPES);
export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES);

export const MAX_STEPS = 20;
/** A sequence step may wait up to a year after enrolment. */
export const MAX_DELAY_MINUTES = 365 * 24 * 60;
export const BODY_MAX = 200_000;

export const stepInput = z.object({
  subject: z.string().trim().min(1, "Subject is required").max(200, "Subject must be at most 200 characters"),
  preheader: z.string().trim().max(200, "Preheader must be at most 200 characters").default(""),
  body: z.string().max(BODY_MAX, "Body is too long").default(""),
  /** `blocks`: the block editor's document (`blocks`) is the email; `body` is then unused. */
  format: z.enum(EMAIL_BODY_FORMATS).default("markdown"),
  blocks: emailBlocksSchema.nullable().default(null),
  /** Minutes after enrolment (sequences); ignored for one-time and the first step of a triggered campaign. */
  delayMinutes: z
    .number()
    .int()
    .min(0, "Delay cannot be negative")
    .max(MAX_DELAY_MINUTES, "Delay must be at most a year")
    .default(0),
});
export type StepInput = z.infer<typeof stepInput>;

const optionalEmail = (message: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .max(255)
    .refine((v) => v === "" || z.email().safeParse(v).success, message)
    .default("");

/** Per-campaign overrides of the workspace sender settings; "" = use the workspace default. */
export const senderOverridesSchema = z.object({
  fromName: z.string().trim().max(100, "From name must be at most 100 characters").default(""),
  fromEmail: optionalEmail("Enter a valid from address"),
  replyTo: optionalEmail("Enter a valid reply-to address"),
});
export type SenderOverrides = z.infer<typeof senderOverridesSchema>;

export const TRIGGER_EVENTS = ["lead.created", "tag.added", "form.submitted"] as const;
export const triggerSchema = z
  .object({
    event: z.enum(TRIGGER_EVENTS),
    tag: z.string().trim().max(50).optional(),
    formId: z.uuid("Pick a form").optional(),
  })
  .superRefine((t, ctx) => {
    if (t.event === "tag.added" && !t.tag)
      ctx.addIssue({ code: "custom", path: ["tag"], message: "Enter a tag" });
    if (t.event === "form.submitted" && !t.formId)
      ctx.addIssue({ code: "custom", path: ["formId"], message: "Pick a form" });
  });
export type CampaignTrigger = z.infer<typeof triggerSchema>;

/** Who receives it: a saved segment (its rules are copied) or rules of its own. None = all active leads. */
export const audienceInput = z.object({
  segmentId: z.uuid().nullable().default(null),
  criteria: segmentCriteriaSchema.default({ match: "all", conditions: [] }),
});
export type AudienceInput = z.infer<typeof audienceInput>;

/** How many leads an audience reaches (the editor's live count). */
export const audienceSizeInput = z.object({ audience: audienceInput });

const nameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(255, "Name must be at most 255 characters");

const campaignFields = {
  name: nameSchema,
  sender: senderOverridesSchema.default({ fromName: "", fromEmail: "", replyTo: "" }),
  audience: audienceInput.default({ segmentId: null, criteria: { match: "all", conditions: [] } }),
  steps: z.array(stepInput).min(1, "Add at least one email").max(MAX_STEPS, `At most ${MAX_STEPS} steps`),
  trigger: triggerSchema.nullable().default(null),
};

function checkShape(
  v: { type: (typeof CAMPAIGN_TYPES)[number]; steps?: StepInput[]; trigger?: CampaignTrigger | null },
  ctx: z.RefinementCtx,
) {
  if (v.type === "one-time" && v.steps && v.steps.length !== 1)
    ctx.addIssue({ code: "custom", path: ["steps"], message: "A one-time campaign has exactly one email" });
  if (v.type === "triggered" && v.trigger === null)
    ctx.addIssue({ code: "custom", path: ["trigger"], message: "Choose what starts this campaign" });
}

export const createCampaignInput = z
  .object({ type: campaignTypeSchema, ...campaignFields })
  .superRefine((v, ctx) => checkShape(v, ctx));
export type CreateCampaignInput = z.infer<typeof createCampaignInput>;

export const updateCampaignInput = z.object({
  id: z.uuid(),
  name: nameSchema.optional(),
  sender: senderOverridesSchema.optional(),
  audience: audienceInput.optional(),
  steps: campaignFields.steps.optional(),
  trigger: triggerSchema.nullable().optional(),
});
export type UpdateCampaignInput = z.infer<typeof updateCampaignInput>;

export const campaignIdInput = z.object({ id: z.uuid("Campaign id must be a UUID") });

export const listCampaignsInput = z.object({
  type: campaignTypeSchema.optional(),
  status: campaignStatusSchema.optional(),
});
export type ListCampaignsInput = z.infer<typeof listCampaignsInput>;

export const scheduleCampaignInput = z.object({ id: z.uuid(), sendAt: z.coerce.date() });

export const sendTestInput = z.object({
  campaignId: z.uuid().optional(),
  to: z.string().trim().toLowerCase().max(255).pipe(z.email("Enter a valid address")),
  step: stepInput,
  sender: senderOverridesSchema.optional(),
});
export type SendTestInput = z.infer<typeof sendTestInput>;

export const previewInput = z.object({
  step: stepInput,
  sender: senderOverridesSchema.optional(),
});
export type PreviewInput = z.infer<typeof previewInput>;

export const reportInput = z.object({
  id: z.uuid(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type ReportInput = z.infer<typeof reportInput>;

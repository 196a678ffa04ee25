import { z } from "zod";
import type { CampaignType } from "@/lib/enums";
import {
  type AudienceInput,
  audienceInput,
  type CampaignTrigger,
  MAX_STEPS,
  type SenderOverrides,
  type StepInput,
  senderOverridesSchema,
  stepInput,
  triggerSchema,
} from "@/server/services/email/campaign-schemas";
import type { Campaign } from "@/server/services/email/campaigns";

/**
 * The campaign editor's form: the fields `create`/`update` take, checked in the browser by the same
 * schemas the server applies (the server also checks the type-specific shape and answers with field
 * errors, which land on the same fields).
 */
export const campaignFormSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(255, "Name must be at most 255 characters"),
  sender: senderOverridesSchema,
  audience: audienceInput,
  trigger: triggerSchema.nullable(),
  steps: z.array(stepInput).min(1, "Add at least one email").max(MAX_STEPS, `At most ${MAX_STEPS} steps`),
});

/** What the form holds: every field present (the schema's output shape). */
export interface CampaignDraft {
  name: string;
  sender: SenderOverrides;
  audience: AudienceInput;
  trigger: CampaignTrigger | null;
  steps: StepInput[];
}

export type CampaignFormOut = z.output<typeof campaignFormSchema>;

export const EMPTY_STEP: StepInput = {
  subject: "",
  preheader: "",
  body: "",
  format: "markdown",
  blocks: null,
  delayMinutes: 0,
};
export const ALL_ACTIVE: AudienceInput = { segmentId: null, criteria: { match: "all", conditions: [] } };

export function draftFrom(c: Campaign): CampaignDraft {
  return {
    name: c.name,
    sender: c.sender,
    audience: c.audience,
    trigger: c.trigger,
    // A campaign saved without an email (through the API) opens with an empty one to write.
    steps: c.steps.length
      ? c.steps.map((s) => ({
          subject: s.subject,
          preheader: s.preheader,
          body: s.body,
          format: s.format,
          blocks: s.blocks,
          delayMinutes: s.delayMinutes,
        }))
      : [{ ...EMPTY_STEP }],
  };
}

export function newDraft(type: CampaignType): CampaignDraft {
  return {
    name: "",
    sender: { fromName: "", fromEmail: "", replyTo: "" },
    audience: ALL_ACTIVE,
    trigger: type === "triggered" ? { event: "lead.created" } : null,
    steps: [{ ...EMPTY_STEP, body: "Hi {{first_name|there}},\n\n" }],
  };
}

/** "2 days 3 hours" for a sequence step's wait. */
export function formatDelay(minutes: number) {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  return (
    [d && `${d} day${d === 1 ? "" : "s"}`, h && `${h} hour${h === 1 ? "" : "s"}`].filter(Boolean).join(" ") ||
    "0 hours"
  );
}

import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { emailCampaigns } from "@/server/db/schema";
import type { DomainEventConsumer } from "../domain-events/dispatch";
import type { DomainEvent } from "../domain-events/types";
import { type CampaignTrigger, triggerSchema } from "./campaign-schemas";
import { enrollLead } from "./start";

/** Things that happen to a lead which campaigns can start on (a triggered campaign's trigger). */
export type LeadEvent =
  | { type: "lead.created"; workspaceId: string; leadId: string }
  | { type: "tag.added"; workspaceId: string; leadId: string; tag: string }
  | { type: "form.submitted"; workspaceId: string; leadId: string; formId: string };

/** The trigger-shaped view of a domain event, or null for events no trigger listens to. */
export function leadEventOf(event: DomainEvent): LeadEvent | null {
  const workspaceId = event.workspaceId;
  switch (event.type) {
    case "lead.created":
      return { type: "lead.created", workspaceId, leadId: event.payload.lead.id };
    case "lead.tagged":
      return { type: "tag.added", workspaceId, leadId: event.payload.leadId, tag: event.payload.tag };
    case "lead.form_submitted":
      return {
        type: "form.submitted",
        workspaceId,
        leadId: event.payload.leadId,
        formId: event.payload.formId,
      };
    default:
      return null;
  }
}

function matches(trigger: CampaignTrigger, event: LeadEvent) {
  if (trigger.event !== event.type) return false;
  if (event.type === "tag.added") return (trigger.tag ?? "").toLowerCase() === event.tag.toLowerCase();
  if (event.type === "form.submitted") return trigger.formId === event.formId;
  return true;
}

/** Active triggered campaigns of the event's workspace whose trigger matches it. */
export async function findTriggeredCampaigns(db: Db, event: LeadEvent) {
  const rows = await db
    .select({ id: emailCampaigns.id, schedule: emailCampaigns.schedule })
    .from(emailCampaigns)
    .where(
      and(
        eq(emailCampaigns.workspaceId, event.workspaceId),
        eq(emailCampaigns.type, "triggered"),
        eq(emailCampaigns.status, "active"),
      ),
    );
  return rows.filter((r) => {
    const t = triggerSchema.safeParse((r.schedule as { trigger?: unknown } | null)?.trigger);
    return t.success && matches(t.data, event);
  });
}

/**
 * Enrols the lead in every active triggered campaign of its workspace whose trigger matches the
 * event. Idempotent: an enrolment is unique per (campaign, lead), and each step's ledger row per
 * (campaign, step, lead).
 */
export async function enrollOnLeadEvent(db: Db, event: LeadEvent) {
  let enrolled = 0;
  for (const c of await findTriggeredCampaigns(db, event)) {
    if (await enrollLead(db, { workspaceId: event.workspaceId, campaignId: c.id, leadId: event.leadId }))
      enrolled++;
  }
  return enrolled;
}

/** The domain-event consumer that starts triggered campaigns (bound in server/queue/handlers.ts). */
export const triggeredCampaignsConsumer: DomainEventConsumer = {
  name: "triggered-campaigns",
  async handle(tx, event) {
    const lead = leadEventOf(event);
    if (lead) await enrollOnLeadEvent(tx, lead);
    return undefined;
  },
};

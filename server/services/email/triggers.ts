import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { emailCampaigns } from "@/server/db/schema";
import { type LeadEvent, onLeadEvent } from "../leads/lead-events";
import { type CampaignTrigger, triggerSchema } from "./campaign-schemas";
import { enrollLead } from "./start";

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
 * event. Registered at module load: importing this file (the email router and the worker's job
 * list do) is what switches triggered campaigns on in a process.
 */
export async function enrollOnLeadEvent(db: Db, event: LeadEvent) {
  let enrolled = 0;
  for (const c of await findTriggeredCampaigns(db, event)) {
    if (await enrollLead(db, { workspaceId: event.workspaceId, campaignId: c.id, leadId: event.leadId }))
      enrolled++;
  }
  return enrolled;
}

onLeadEvent(async (db, event) => {
  await enrollOnLeadEvent(db, event);
});

import { and, asc, eq, inArray } from "drizzle-orm";
import { sanitizeMarkdown } from "@/lib/markdown";
import {
  campaignEnrollments,
  campaignSteps,
  emailCampaigns,
  emailEvents,
  emailSends,
  leads,
} from "@/server/db/schema";
import { audienceWhere } from "@/server/services/email/campaigns";
import { campaignTemplates, daysAgo } from "./campaigns";
import { planCampaignEmail } from "./email-activity";
import type { EmailReach } from "./history";
import { insertChunked, type SeedStep, type SeedTableCount } from "./types";

export interface SeededEmail {
  counts: {
    emailCampaigns: SeedTableCount;
    campaignSteps: SeedTableCount;
    campaignEnrollments: SeedTableCount;
    emailSends: SeedTableCount;
    emailEvents: SeedTableCount;
  };
  /** Per demo email item (by title): who opened and clicked the campaign sent for it. */
  reach: Map<string, EmailReach>;
}

/**
 * Campaigns (skipped by name) with their steps, and for each one that ran: its enrolments, ledger
 * rows and tracking events. The audience is the app's own (`audienceWhere`: active leads matching
 * the criteria), as it was on the day: leads who joined later were not sent to.
 */
export async function seedEmail(
  { tx, rng, workspaceId, author, now }: SeedStep,
  emailItems: Map<string, { id: string; publishedAt: Date | null }>,
): Promise<SeededEmail> {
  const templates = campaignTemplates();
  const existing = new Set(
    (
      await tx
        .select({ name: emailCampaigns.name })
        .from(emailCampaigns)
        .where(
          and(
            eq(emailCampaigns.workspaceId, workspaceId),
            inArray(
              emailCampaigns.name,
              templates.map((t) => t.name),
            ),
          ),
        )
    ).map((r) => r.name),
  );
  const reach = new Map<string, EmailReach>();
  const n = { campaigns: 0, steps: 0, plannedSteps: 0, enrollments: 0, sends: 0, events: 0 };
  for (const t of templates) {
    n.plannedSteps += t.steps.length;
    if (existing.has(t.name)) continue;
    const item = t.sentFor ? emailItems.get(t.sentFor) : undefined;
    const createdAt = daysAgo(now, t.createdDaysAgo);
    // A one-time campaign went out when its email item was published; the others started when created.
    const startAt = item?.publishedAt ?? createdAt;
    const [campaign] = await tx
      .insert(emailCampaigns)
      .values({
        workspaceId,
        name: t.name,
        type: t.type,
        status: t.status,
        segmentCriteria: t.criteria,
        content: {
          fromName: "",
          fromEmail: "",
          replyTo: "",
          segmentId: null,
          ...(item && { contentId: item.id }),
        },
        schedule: {
          ...(t.trigger && { trigger: t.trigger }),
          ...(t.type === "one-time" && t.status === "sent" && { sendAt: startAt.toISOString() }),
        },
        createdBy: author,
        createdAt,
        updatedAt: t.pausedDaysAgo === undefined ? startAt : daysAgo(now, t.pausedDaysAgo),
      })
      .returning({ id: emailCampaigns.id });
    const steps = await tx
      .insert(campaignSteps)
      .values(
        t.steps.map((s, position) => ({
          workspaceId,
          campaignId: campaign!.id,
          position,
          delayMinutes: t.type === "one-time" ? 0 : s.delayMinutes,
          subject: s.subject,
          preheader: s.preheader,
          body: sanitizeMarkdown(s.body),
          createdAt,
          updatedAt: createdAt,
        })),
      )
      .returning({
        id: campaignSteps.id,
        delayMinutes: campaignSteps.delayMinutes,
        body: campaignSteps.body,
      });
    const audience = await tx
      .select({ id: leads.id, email: leads.email, createdAt: leads.createdAt })
      .from(leads)
      .where(audienceWhere(workspaceId, t.criteria))
      .orderBy(asc(leads.createdAt), asc(leads.email));
    const plan = planCampaignEmail(rng, {
      workspaceId,
      campaignId: campaign!.id,
      template: t,
      steps,
      audience,
      startAt,
      now,
    });
    await insertChunked(plan.enrollments, (c) => tx.insert(campaignEnrollments).values(c));
    await insertChunked(plan.sends, (c) => tx.insert(emailSends).values(c));
    await insertChunked(plan.events, (c) => tx.insert(emailEvents).values(c));
    if (t.sentFor) reach.set(t.sentFor, { firstOpens: plan.firstOpens, firstClicks: plan.firstClicks });
    n.campaigns++;
    n.steps += steps.length;
    n.enrollments += plan.enrollments.length;
    n.sends += plan.sends.length;
    n.events += plan.events.length;
  }
  const skipped = (inserted: number) => ({ inserted, skipped: 0 });
  return {
    counts: {
      emailCampaigns: { inserted: n.campaigns, skipped: templates.length - n.campaigns },
      campaignSteps: { inserted: n.steps, skipped: n.plannedSteps - n.steps },
      campaignEnrollments: skipped(n.enrollments),
      emailSends: skipped(n.sends),
      emailEvents: skipped(n.events),
    },
    reach,
  };
}

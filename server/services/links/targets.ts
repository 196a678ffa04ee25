import "server-only";
import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { campaignSteps, emailCampaigns } from "@/server/db/schema";

/**
 * The email steps a tracked link can belong to (the link dialog's "Belongs to"): the steps of the
 * workspace's latest 50 campaigns, each named by its campaign and position.
 */
export async function listLinkSteps(db: Db, workspaceId: string) {
  const latest = db
    .select({ id: emailCampaigns.id })
    .from(emailCampaigns)
    .where(eq(emailCampaigns.workspaceId, workspaceId))
    .orderBy(desc(emailCampaigns.createdAt))
    .limit(50)
    .as("latest");
  return db
    .select({
      id: campaignSteps.id,
      campaignId: campaignSteps.campaignId,
      campaignName: emailCampaigns.name,
      position: campaignSteps.position,
      subject: campaignSteps.subject,
    })
    .from(campaignSteps)
    .innerJoin(latest, eq(latest.id, campaignSteps.campaignId))
    .innerJoin(
      emailCampaigns,
      and(eq(emailCampaigns.id, campaignSteps.campaignId), eq(emailCampaigns.workspaceId, workspaceId)),
    )
    .where(eq(campaignSteps.workspaceId, workspaceId))
    .orderBy(desc(emailCampaigns.createdAt), asc(campaignSteps.position));
}

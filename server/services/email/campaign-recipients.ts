import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { type CampaignStatus, type CampaignType, campaignEnrollments, emailSends } from "@/server/db/schema";

/** Once a campaign has started, its audience is who it reached, not who matches its rules today. */
const STARTED: readonly CampaignStatus[] = ["sending", "sent", "active", "paused", "cancelled"];

export const hasStarted = (status: CampaignStatus) => STARTED.includes(status);

/**
 * How many leads each started campaign reached: a one-time email's distinct recipients (any send
 * row: sent, failed, bounced or suppressed), a sequence's or triggered campaign's enrolled leads.
 */
export async function recipientCounts(
  db: Db,
  workspaceId: string,
  campaigns: { id: string; type: CampaignType; status: CampaignStatus }[],
): Promise<Map<string, number>> {
  const started = campaigns.filter((c) => hasStarted(c.status));
  const oneTime = started.filter((c) => c.type === "one-time").map((c) => c.id);
  const enrolling = started.filter((c) => c.type !== "one-time").map((c) => c.id);
  const [sent, enrolled] = await Promise.all([
    oneTime.length
      ? db
          .select({ id: emailSends.campaignId, n: sql<number>`count(distinct ${emailSends.leadId})::int` })
          .from(emailSends)
          .where(and(eq(emailSends.workspaceId, workspaceId), inArray(emailSends.campaignId, oneTime)))
          .groupBy(emailSends.campaignId)
      : [],
    enrolling.length
      ? db
          .select({ id: campaignEnrollments.campaignId, n: sql<number>`count(*)::int` })
          .from(campaignEnrollments)
          .where(
            and(
              eq(campaignEnrollments.workspaceId, workspaceId),
              inArray(campaignEnrollments.campaignId, enrolling),
            ),
          )
          .groupBy(campaignEnrollments.campaignId)
      : [],
  ]);
  const counts = new Map(started.map((c) => [c.id, 0]));
  for (const r of [...sent, ...enrolled]) counts.set(r.id, Number(r.n));
  return counts;
}

import "server-only";
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/server/db";
import { activityLogs, emailCampaigns, emailEvents, emailSends, type leads, users } from "@/server/db/schema";

type LeadRow = typeof leads.$inferSelect;

export type TimelineEntry = {
  id: string;
  kind:
    | "created"
    | "sent"
    | "opened"
    | "clicked"
    | "unsubscribed"
    | "bounced"
    | "complained"
    | "status"
    | "updated";
  at: Date;
  title: string;
  detail: string | null;
};

const EVENT_KIND: Record<string, TimelineEntry["kind"] | undefined> = {
  open: "opened",
  click: "clicked",
  unsubscribe: "unsubscribed",
  bounce: "bounced",
  complaint: "complained",
};

/** Newest first: creation, emails sent, human opens and clicks, unsubscribes and status changes. */
export async function leadTimeline(db: Db, lead: LeadRow): Promise<TimelineEntry[]> {
  const [sends, events, logs] = await Promise.all([
    db
      .select({ id: emailSends.id, sentAt: emailSends.sentAt, campaign: emailCampaigns.name })
      .from(emailSends)
      .innerJoin(emailCampaigns, eq(emailCampaigns.id, emailSends.campaignId))
      .where(
        and(
          eq(emailSends.workspaceId, lead.workspaceId),
          eq(emailSends.leadId, lead.id),
          isNotNull(emailSends.sentAt),
        ),
      )
      .orderBy(desc(emailSends.sentAt))
      .limit(200),
    db
      .select({
        id: emailEvents.id,
        type: emailEvents.type,
        url: emailEvents.url,
        createdAt: emailEvents.createdAt,
        campaign: emailCampaigns.name,
      })
      .from(emailEvents)
      .leftJoin(emailCampaigns, eq(emailCampaigns.id, emailEvents.campaignId))
      .where(
        and(
          eq(emailEvents.workspaceId, lead.workspaceId),
          eq(emailEvents.leadId, lead.id),
          eq(emailEvents.isMachine, false),
          inArray(emailEvents.type, ["open", "click", "unsubscribe", "bounce", "complaint"]),
        ),
      )
      .orderBy(desc(emailEvents.createdAt))
      .limit(200),
    db
      .select({
        id: activityLogs.id,
        action: activityLogs.action,
        metadata: activityLogs.metadata,
        createdAt: activityLogs.createdAt,
        userName: users.name,
        userEmail: users.email,
      })
      .from(activityLogs)
      .leftJoin(users, eq(users.id, activityLogs.userId))
      .where(
        and(
          eq(activityLogs.workspaceId, lead.workspaceId),
          eq(activityLogs.entityType, "lead"),
          eq(activityLogs.entityId, lead.id),
          eq(activityLogs.action, "lead.updated"),
        ),
      )
      .orderBy(desc(activityLogs.createdAt))
      .limit(100),
  ]);
  const entries: TimelineEntry[] = [
    {
      id: `created-${lead.id}`,
      kind: "created",
      at: lead.createdAt,
      title: "Lead created",
      detail: lead.source,
    },
  ];
  for (const s of sends) {
    entries.push({ id: s.id, kind: "sent", at: s.sentAt!, title: "Email sent", detail: s.campaign });
  }
  for (const e of events) {
    const kind = EVENT_KIND[e.type]!;
    const title = {
      opened: "Opened email",
      clicked: "Clicked a link",
      unsubscribed: "Unsubscribed",
      bounced: "Email bounced",
      complained: "Marked as spam",
    }[kind as "opened"];
    const detail = kind === "clicked" && e.url ? `${e.campaign ?? "Email"} · ${e.url}` : e.campaign;
    entries.push({ id: e.id, kind, at: e.createdAt, title, detail });
  }
  for (const l of logs) {
    const changes = (l.metadata.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
    const by = l.userName || l.userEmail;
    if (changes.status) {
      entries.push({
        id: l.id,
        kind: "status",
        at: l.createdAt,
        title: `Status changed from ${String(changes.status.from)} to ${String(changes.status.to)}`,
        detail: by ? `by ${by}` : null,
      });
    } else {
      entries.push({
        id: l.id,
        kind: "updated",
        at: l.createdAt,
        title: `Edited ${Object.keys(changes).map(changeLabel).join(", ") || "details"}`,
        detail: by ? `by ${by}` : null,
      });
    }
  }
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** "customFields" → "custom fields", "timeZone" → "time zone": how a changed field reads in the timeline. */
function changeLabel(key: string): string {
  return key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

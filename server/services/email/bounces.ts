import { and, count, eq, gte, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import {
  campaignEnrollments,
  type EmailEventSource,
  emailEvents,
  emailSends,
  type LeadStatus,
  leads,
} from "@/server/db/schema";
import { logActivity } from "../activity";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent, leadSnapshot } from "../domain-events/types";
import { suppress } from "./suppressions";

/**
 * Bounces and complaints that arrive after the SMTP 250 (provider webhooks, the bounce mailbox),
 * applied to the send they report on. The workspace is always the send's: a report names our send
 * id (from our Message-ID or VERP address) and nothing else from the request is trusted.
 */

export interface DeliveryReport {
  /** Our email_sends.id. */
  sendId: string;
  kind: "bounce" | "complaint";
  /** Bounces only: permanent (5.x.x) or transient (4.x.x). */
  bounceType?: "hard" | "soft";
  source: EmailEventSource;
  /** The provider's id of the event: a retried webhook or DSN is stored once. */
  providerEventId?: string;
  /** The diagnostic as reported, e.g. "550 5.1.1 user unknown". */
  detail?: string;
  occurredAt?: Date;
}

export interface DeliveryReportResult {
  /** False for a send that is not ours (or no longer exists) and for a report already stored. */
  applied: boolean;
  workspaceId: string | null;
  leadId: string | null;
}

/** Soft bounces of one lead within SOFT_BOUNCE_WINDOW_DAYS that make the address count as bounced. */
export const SOFT_BOUNCE_LIMIT = 3;
export const SOFT_BOUNCE_WINDOW_DAYS = 30;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Our send id from a Message-ID: we send `<sendId@from-domain>` (render.ts `messageIdFor`); angle
 * brackets optional, as providers strip them. Null for anything else (test sends, other mail).
 */
export function sendIdFromMessageId(messageId: string): string | null {
  const m = /^\s*<?([^@<>\s]+)@[^@<>\s]+>?\s*$/.exec(messageId);
  const local = m?.[1];
  return local && UUID.test(local) ? local.toLowerCase() : null;
}

/** Lead statuses a bounce may overwrite: unsubscribed stays (consent said more than the address). */
const BOUNCEABLE: LeadStatus[] = ["active", "pending"];
/** A complaint is the strongest signal: it overrides everything but itself. */
const COMPLAINABLE: LeadStatus[] = ["active", "pending", "unsubscribed", "bounced"];

const NOT_OURS: DeliveryReportResult = { applied: false, workspaceId: null, leadId: null };

/**
 * Records a bounce or complaint of one of our sends, in one transaction:
 * - an `email_events` row (stored once per provider event id; a repeat returns applied:false);
 * - hard bounce: the send becomes `bounced`, the lead `bounced`, the address suppressed;
 * - soft bounce: only the event, until the SOFT_BOUNCE_LIMIT-th within the window: then as hard;
 * - complaint: the lead `complained` (which stops all mail, like unsubscribing), the address suppressed;
 * and when the lead stops receiving mail, its active enrolments exit and its pending sends are
 * suppressed, with an activity row (system actor).
 */
export async function applyDeliveryReport(db: Db, report: DeliveryReport): Promise<DeliveryReportResult> {
  if (!UUID.test(report.sendId)) return NOT_OURS;
  const [send] = await db
    .select({
      id: emailSends.id,
      workspaceId: emailSends.workspaceId,
      campaignId: emailSends.campaignId,
      leadId: emailSends.leadId,
      toAddress: emailSends.toAddress,
    })
    .from(emailSends)
    .where(eq(emailSends.id, report.sendId.toLowerCase()));
  if (!send) return NOT_OURS;
  const { workspaceId, leadId } = send;
  const bounceType = report.kind === "bounce" ? (report.bounceType ?? "hard") : null;
  const detail = report.detail?.slice(0, 2000) ?? null;

  const applied = await transactWithEvents(db, async (tx, events) => {
    // One report of a lead at a time: the soft-bounce count below sees every earlier one.
    const [lead] = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)))
      .for("update");
    if (!lead) return false;
    const inserted = await tx
      .insert(emailEvents)
      .values({
        workspaceId,
        sendId: send.id,
        campaignId: send.campaignId,
        leadId,
        type: report.kind,
        bounceType,
        source: report.source,
        providerEventId: report.providerEventId?.slice(0, 255) || null,
        detail,
        ...(report.occurredAt && !Number.isNaN(report.occurredAt.getTime())
          ? { createdAt: report.occurredAt }
          : {}),
      })
      .onConflictDoNothing()
      .returning({ id: emailEvents.id });
    if (inserted.length === 0) return false;

    let softBounces: number | null = null;
    if (bounceType === "hard") {
      await tx
        .update(emailSends)
        .set({ status: "bounced", error: detail ?? "Bounced (reported by the provider)" })
        .where(
          and(
            eq(emailSends.id, send.id),
            eq(emailSends.workspaceId, workspaceId),
            eq(emailSends.status, "sent"),
          ),
        );
    } else if (bounceType === "soft") {
      const since = new Date(Date.now() - SOFT_BOUNCE_WINDOW_DAYS * 86_400_000);
      const [row] = await tx
        .select({ n: count() })
        .from(emailEvents)
        .where(
          and(
            eq(emailEvents.workspaceId, workspaceId),
            eq(emailEvents.leadId, leadId),
            eq(emailEvents.type, "bounce"),
            eq(emailEvents.bounceType, "soft"),
            gte(emailEvents.createdAt, since),
          ),
        );
      softBounces = row?.n ?? 0;
      if (softBounces < SOFT_BOUNCE_LIMIT) return true;
    }

    // From here on the lead receives no more mail.
    const stop = report.kind === "complaint" ? "complained" : "bounced";
    const [changed] = await tx
      .update(leads)
      .set({ status: stop, updatedAt: new Date() })
      .where(
        and(
          eq(leads.id, leadId),
          eq(leads.workspaceId, workspaceId),
          inArray(leads.status, stop === "complained" ? COMPLAINABLE : BOUNCEABLE),
        ),
      )
      .returning();
    await suppress(tx, {
      workspaceId,
      kind: "address",
      value: send.toAddress,
      reason: stop,
      note: detail ?? (stop === "complained" ? "Marked as spam" : "Bounced"),
      leadId,
      campaignId: send.campaignId,
    });
    await tx
      .update(emailSends)
      .set({
        status: "suppressed",
        error: `Not sent: the lead ${stop === "complained" ? "complained" : "bounced"}`,
      })
      .where(
        and(
          eq(emailSends.workspaceId, workspaceId),
          eq(emailSends.leadId, leadId),
          eq(emailSends.status, "pending"),
          ne(emailSends.id, send.id),
        ),
      );
    await tx
      .update(campaignEnrollments)
      .set({ status: "exited", exitReason: stop, exitedAt: sql`now()` as unknown as Date })
      .where(
        and(
          eq(campaignEnrollments.workspaceId, workspaceId),
          eq(campaignEnrollments.leadId, leadId),
          eq(campaignEnrollments.status, "active"),
        ),
      );
    await logActivity(tx, {
      workspaceId,
      userId: null,
      action: `lead.${stop}`,
      entityType: "lead",
      entityId: leadId,
      metadata: {
        sendId: send.id,
        campaignId: send.campaignId,
        source: report.source,
        ...(bounceType ? { bounceType } : {}),
        ...(softBounces !== null ? { softBounces } : {}),
        ...(detail ? { detail } : {}),
        previousStatus: lead.status,
      },
    });
    // A complaint unsubscribes: receivers of `lead.unsubscribed` (CRM syncs) learn of it too.
    if (changed && stop === "complained" && (lead.status === "active" || lead.status === "pending"))
      events.push(
        domainEvent(workspaceId, "lead.unsubscribed", {
          lead: leadSnapshot(changed),
          campaignId: send.campaignId,
          via: "complaint",
        }),
      );
    return true;
  });
  return applied ? { applied: true, workspaceId, leadId } : { applied: false, workspaceId, leadId };
}

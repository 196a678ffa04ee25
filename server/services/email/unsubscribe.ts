import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { campaignEnrollments, emailEvents, emailSends, leads, workspaces } from "@/server/db/schema";
import { logActivity } from "../activity";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent, leadSnapshot } from "../domain-events/types";
import { TEST_SEND_ID, verifyLinkToken } from "./links";
import { suppress } from "./suppressions";

export interface UnsubscribeTarget {
  test: boolean;
  workspaceName: string;
  /** Shown on the page as j•••@example.com. */
  maskedEmail: string;
  alreadyUnsubscribed: boolean;
}

function mask(email: string) {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}${"•".repeat(Math.max(1, Math.min(6, local.length - 1)))}@${domain}`;
}

async function sendOf(db: Db, token: string) {
  const payload = verifyLinkToken(token, "u");
  if (!payload) return null;
  if (payload.sendId === TEST_SEND_ID) return { test: true as const };
  const [row] = await db
    .select({
      sendId: emailSends.id,
      workspaceId: emailSends.workspaceId,
      campaignId: emailSends.campaignId,
      leadId: emailSends.leadId,
      email: leads.email,
      status: leads.status,
      workspaceName: workspaces.name,
    })
    .from(emailSends)
    .innerJoin(leads, eq(leads.id, emailSends.leadId))
    .innerJoin(workspaces, eq(workspaces.id, emailSends.workspaceId))
    .where(eq(emailSends.id, payload.sendId));
  return row ? { test: false as const, ...row } : null;
}

/** What the confirm page shows; null for a bad token (or a send that no longer exists). */
export async function describeUnsubscribe(db: Db, token: string): Promise<UnsubscribeTarget | null> {
  const s = await sendOf(db, token);
  if (!s) return null;
  if (s.test) return { test: true, workspaceName: "", maskedEmail: "", alreadyUnsubscribed: false };
  return {
    test: false,
    workspaceName: s.workspaceName,
    maskedEmail: mask(s.email),
    alreadyUnsubscribed: s.status === "unsubscribed",
  };
}

/**
 * Unsubscribes the recipient of a signed link (RFC 8058 one-click or the confirm page): the lead
 * becomes `unsubscribed`, an `unsubscribe` event and an activity row are recorded, every pending
 * ledger row of the lead is suppressed and its sequences exited. Idempotent; the token does not
 * expire. Returns false for a bad token.
 */
export async function unsubscribeByToken(
  db: Db,
  token: string,
  r: { ip: string | null; userAgent: string | null; via: "one-click" | "page" },
): Promise<boolean> {
  const s = await sendOf(db, token);
  if (!s) return false;
  if (s.test) return true;
  // The change and its `lead.unsubscribed` event (webhooks) commit together.
  await transactWithEvents(db, async (tx, events) => {
    // bounced/complained stay what they are: they are suppressed already and say more
    const [changed] = await tx
      .update(leads)
      .set({ status: "unsubscribed", updatedAt: new Date() })
      .where(and(eq(leads.id, s.leadId), inArray(leads.status, ["active", "pending"])))
      .returning();
    await tx
      .update(emailSends)
      .set({ status: "suppressed", error: "Not sent: the lead unsubscribed" })
      .where(
        and(
          eq(emailSends.workspaceId, s.workspaceId),
          eq(emailSends.leadId, s.leadId),
          eq(emailSends.status, "pending"),
        ),
      );
    await tx
      .update(campaignEnrollments)
      .set({ status: "exited", exitedAt: sql`now()` as unknown as Date })
      .where(
        and(
          eq(campaignEnrollments.workspaceId, s.workspaceId),
          eq(campaignEnrollments.leadId, s.leadId),
          eq(campaignEnrollments.status, "active"),
        ),
      );
    // On the list even when the lead had bounced already: the person asked not to be mailed.
    await suppress(tx, {
      workspaceId: s.workspaceId,
      kind: "address",
      value: s.email,
      reason: "unsubscribed",
      note: r.via === "one-click" ? "Unsubscribed (one-click)" : "Unsubscribed from the email's link",
      leadId: s.leadId,
      campaignId: s.campaignId,
    });
    if (!changed) return;
    events.push(
      domainEvent(s.workspaceId, "lead.unsubscribed", {
        lead: leadSnapshot(changed),
        campaignId: s.campaignId,
        via: r.via,
      }),
    );
    await tx.insert(emailEvents).values({
      workspaceId: s.workspaceId,
      sendId: s.sendId,
      campaignId: s.campaignId,
      leadId: s.leadId,
      type: "unsubscribe",
      ipAddress: r.ip && /^[0-9a-fA-F:.]{2,45}$/.test(r.ip) ? r.ip : null,
      userAgent: r.userAgent?.slice(0, 1000) ?? null,
    });
    await logActivity(tx, {
      workspaceId: s.workspaceId,
      userId: null,
      action: "lead.unsubscribed",
      entityType: "lead",
      entityId: s.leadId,
      metadata: { campaignId: s.campaignId, via: r.via },
      ip: r.ip,
      userAgent: r.userAgent,
    });
  });
  return true;
}

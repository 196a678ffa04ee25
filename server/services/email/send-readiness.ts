import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import { emailCampaigns } from "@/server/db/schema";
import { DomainError, NotFoundError } from "@/server/errors";
import { campaignLinkProblem } from "./campaign-links";
import { senderOverridesSchema } from "./campaign-schemas";
import { senderDomainVerification } from "./sender-domains";
import { getSenderSettings } from "./sender-settings";
import { getTransport } from "./transport";

export interface SendReadiness {
  /** Where campaign mail goes: a mail server (SMTP, Gmail) or the in-app outbox (nothing leaves). */
  transport: "smtp" | "gmail" | "outbox";
  /** The workspace's From address and how its domain is verified (null: not verified). */
  sender: { fromEmail: string; domain: string; verifiedBy: "operator" | "dns" | null } | null;
  /** Why a campaign cannot be sent now, in words for the page; empty when it can. */
  problems: string[];
}

export const SENDER_MISSING =
  "Set the sender name, from address and postal address in Settings → Sending first";

export const unverifiedDomainProblem = (fromEmail: string, domain: string) =>
  `The from address ${fromEmail} is at ${domain}, which this workspace hasn't verified: add the TXT record shown in Settings → Sending and press Verify.`;

/**
 * Whether this workspace's campaigns may be sent now, and why not. Mail kept in the outbox never
 * leaves the server, so it needs neither a verified domain nor an https APP_URL; anything sent
 * through SMTP or Gmail needs both. `otherFroms`: a campaign's own From addresses, checked too.
 */
export async function getSendReadiness(
  db: Db,
  workspaceId: string,
  otherFroms: string[] = [],
): Promise<SendReadiness> {
  const [settings, transport] = await Promise.all([
    getSenderSettings(db, workspaceId),
    getTransport(db, workspaceId).kind(),
  ]);
  const problems: string[] = [];
  if (!settings) problems.push(SENDER_MISSING);
  const sender = settings
    ? {
        fromEmail: settings.fromEmail,
        ...(await senderDomainVerification(db, workspaceId, settings.fromEmail)),
      }
    : null;
  if (transport !== "outbox") {
    const links = campaignLinkProblem();
    if (links) problems.push(links);
    if (sender && !sender.by) problems.push(unverifiedDomainProblem(sender.fromEmail, sender.domain));
    for (const from of new Set(otherFroms.filter((f) => f && f !== sender?.fromEmail))) {
      const v = await senderDomainVerification(db, workspaceId, from);
      if (!v.by) problems.push(unverifiedDomainProblem(from, v.domain));
    }
  }
  return {
    transport,
    sender: sender ? { fromEmail: sender.fromEmail, domain: sender.domain, verifiedBy: sender.by } : null,
    problems,
  };
}

/** Refuses (412, saying why) to start, activate, schedule or resume a campaign that can't be sent. */
export async function assertCampaignCanSend(db: Db, workspaceId: string, otherFroms: string[] = []) {
  const { problems } = await getSendReadiness(db, workspaceId, otherFroms);
  if (problems.length) throw new DomainError("PRECONDITION_FAILED", problems[0]!);
}

export const sendReadinessInput = z.object({ campaignId: z.uuid("Not a campaign id").optional() });

/** Readiness as Settings → Sending (no campaign) or a campaign's send dialog (its own From too) sees it. */
export async function getCampaignSendReadiness(db: Db, workspaceId: string, campaignId?: string) {
  if (!campaignId) return getSendReadiness(db, workspaceId);
  const [campaign] = await db
    .select({ content: emailCampaigns.content })
    .from(emailCampaigns)
    .where(and(eq(emailCampaigns.id, campaignId), eq(emailCampaigns.workspaceId, workspaceId)));
  if (!campaign) throw new NotFoundError("Campaign not found");
  const own = senderOverridesSchema.safeParse(campaign.content);
  return getSendReadiness(db, workspaceId, own.success && own.data.fromEmail ? [own.data.fromEmail] : []);
}

import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { sanitizeMarkdown } from "@/lib/markdown";
import type { Db } from "@/server/db";
import { campaignSteps, emailCampaigns } from "@/server/db/schema";
import { DomainError, ValidationError } from "@/server/errors";
import { type PreflightItem, PublishError, type Publisher } from "../content/publisher";
import { emailFieldsSchema } from "../content/schemas";
import { systemActor, type WorkspaceServiceContext } from "../context";
import { getUsableSegmentOrThrow } from "../segments/segments";
import { requireSenderSettings } from "./campaigns";
import { assertCampaignCanSend } from "./send-readiness";
import { startCampaignSend } from "./start";

/*
 * Email-type content is sent as a one-time campaign to the segment chosen in its editor: publishing
 * (now or at its scheduled time) creates that campaign — once, marked with the content's id — and
 * starts it through the same ledger and sender as any campaign. The item is `published` once the
 * send has started, and links to the campaign's report.
 */

function emailFieldsOf(metadata: Record<string, unknown>) {
  const parsed = emailFieldsSchema.safeParse(metadata.email ?? {});
  if (!parsed.success) {
    throw new ValidationError("This email has no subject: add one in the editor", {
      subject: ["Required"],
    });
  }
  return parsed.data;
}

/** The segment an email item goes to; a 400 when none is chosen, a 404 when it is not this workspace's. */
export async function requireEmailSegment(db: Db, workspaceId: string, metadata: Record<string, unknown>) {
  const fields = emailFieldsOf(metadata);
  if (!fields.segmentId) {
    throw new ValidationError("Choose the segment this email goes to before publishing it", {
      segmentId: ["Choose a segment"],
    });
  }
  return { fields, segment: await getUsableSegmentOrThrow(db, workspaceId, fields.segmentId) };
}

/** The checks of publishing or scheduling an email item, so a missing choice is a 4xx now, not a failure later. */
async function preflightEmail(db: Db, item: PreflightItem) {
  await requireEmailSegment(db, item.workspaceId, item.metadata);
  if (item.body !== undefined && !item.body?.trim()) {
    throw new ValidationError("This email has an empty body: write it before publishing", {
      body: ["Required"],
    });
  }
  await requireSenderSettings(db, item.workspaceId);
  await assertCampaignCanSend(db, item.workspaceId);
}

/** The campaign an email item created (found by the content id it carries), if any. */
export async function findContentCampaign(db: Db, workspaceId: string, contentId: string) {
  const [row] = await db
    .select({ id: emailCampaigns.id, status: emailCampaigns.status })
    .from(emailCampaigns)
    .where(
      and(
        eq(emailCampaigns.workspaceId, workspaceId),
        sql`${emailCampaigns.content} ->> 'contentId' = ${contentId}`,
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Creates the item's one-time campaign, or brings a draft one (left by a failed attempt) up to the
 * item's current subject, body and segment. A campaign already sending is returned as it is.
 */
async function ensureContentCampaign(
  ctx: WorkspaceServiceContext,
  item: { id: string; title: string; body: string | null; metadata: Record<string, unknown> },
) {
  const { db, workspaceId } = ctx;
  const { fields, segment } = await requireEmailSegment(db, workspaceId, item.metadata);
  const step = {
    subject: fields.subject,
    preheader: fields.preheader,
    body: sanitizeMarkdown(item.body ?? ""),
  };
  const campaignContent = {
    fromName: "",
    fromEmail: "",
    replyTo: "",
    segmentId: segment.id,
    contentId: item.id,
  };
  const existing = await findContentCampaign(db, workspaceId, item.id);
  if (existing && existing.status !== "draft") return existing.id;
  return db.transaction(async (tx) => {
    if (existing) {
      await tx
        .update(emailCampaigns)
        .set({ name: item.title.slice(0, 255), segmentCriteria: segment.criteria, content: campaignContent })
        .where(and(eq(emailCampaigns.id, existing.id), eq(emailCampaigns.workspaceId, workspaceId)));
      await tx
        .update(campaignSteps)
        .set(step)
        .where(and(eq(campaignSteps.campaignId, existing.id), eq(campaignSteps.workspaceId, workspaceId)));
      return existing.id;
    }
    const [campaign] = await tx
      .insert(emailCampaigns)
      .values({
        workspaceId,
        name: item.title.slice(0, 255),
        type: "one-time",
        status: "draft",
        segmentCriteria: segment.criteria,
        content: campaignContent,
        schedule: {},
        createdBy: null,
      })
      .returning({ id: emailCampaigns.id });
    await tx.insert(campaignSteps).values({ workspaceId, campaignId: campaign!.id, position: 0, ...step });
    return campaign!.id;
  });
}

export const emailContentPublisher: Publisher = {
  preflight: preflightEmail,
  async publish({ db, content: item, workspace }) {
    const ctx = { db, workspaceId: item.workspaceId, actor: systemActor };
    try {
      const campaignId = await ensureContentCampaign(ctx, item);
      const { queued } = await startCampaignSend(ctx, campaignId);
      return {
        url: `/${workspace.slug}/email/${campaignId}/report`,
        externalId: campaignId,
        details: { campaignId, recipients: queued },
      };
    } catch (err) {
      // A choice the workspace must fix (segment gone, sender unverified…): failed with that reason.
      if (err instanceof DomainError) throw new PublishError(err.message, false);
      throw err;
    }
  },
};

import { randomInt } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { isbot } from "isbot";
import { isStorableText } from "@/lib/request-guard";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { campaignSteps, content, emailCampaigns, trackedLinks } from "@/server/db/schema";
import { isUniqueViolation, NotFoundError, ValidationError } from "@/server/errors";
import { attributionIds, withAttributionTag } from "@/server/integrations/amazon-ads/tags";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { isMachineRequest, type TrackRequest } from "../email/tracking";
import { slugify } from "../workspaces/workspaces";
import type { CreateLinkInput, UpdateLinkInput } from "./schemas";

/**
 * The query parameter a person's click adds to the destination: the click id a store (Shopify's
 * landing site, a WooCommerce order field) or one of our forms can bring back with an order or a
 * sign-up, so the order is credited to the link (services/attribution).
 */
export const CLICK_ID_PARAM = "ocid";

/** The path a tracked link is served at; the code is the whole identity (no workspace in it). */
export const linkPath = (code: string) => `/l/${code}`;

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
/** 7 characters of a 57-letter alphabet (no 0/O, 1/l/I): ~1.9 × 10^12 codes, easy to read aloud. */
export function newLinkCode(length = 7): string {
  let code = "";
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

type LinkRow = typeof trackedLinks.$inferSelect;

/**
 * The address a click is sent on to: the destination with the link's UTM parameters added. A
 * parameter the destination already carries is left as it is (its author chose it).
 */
export function destinationWithUtm(
  link: Pick<LinkRow, "destination" | "utmSource" | "utmMedium" | "utmCampaign">,
): string {
  const url = new URL(link.destination);
  const utm: [string, string | null][] = [
    ["utm_source", link.utmSource],
    ["utm_medium", link.utmMedium],
    ["utm_campaign", link.utmCampaign],
  ];
  for (const [name, value] of utm)
    if (value && !url.searchParams.has(name)) url.searchParams.set(name, value);
  return url.toString();
}

const MEDIUM_BY_TYPE = {
  tiktok: "social",
  youtube: "social",
  instagram: "social",
  blog: "blog",
  email: "email",
} as const;

/** What a link is tied to, checked to be the workspace's own; UTM defaults taken from it. */
async function resolveTarget(
  db: Db,
  workspaceId: string,
  target: { contentId?: string | null; campaignStepId?: string | null },
): Promise<{ source: string; medium: string; campaign: string } | null> {
  if (target.contentId && target.campaignStepId)
    throw new ValidationError("Tie the link to a content item or a campaign step, not both", {
      contentId: ["Choose one"],
    });
  if (target.contentId) {
    const [item] = await db
      .select({ type: content.type, title: content.title, slug: content.slug })
      .from(content)
      .where(and(eq(content.id, target.contentId), eq(content.workspaceId, workspaceId)));
    if (!item)
      throw new ValidationError("That content item is not in this workspace", { contentId: ["Not found"] });
    return {
      source: item.type,
      medium: MEDIUM_BY_TYPE[item.type],
      campaign: (item.slug ?? slugify(item.title)).slice(0, 100),
    };
  }
  if (target.campaignStepId) {
    const [step] = await db
      .select({ name: emailCampaigns.name, position: campaignSteps.position })
      .from(campaignSteps)
      .innerJoin(emailCampaigns, eq(emailCampaigns.id, campaignSteps.campaignId))
      .where(and(eq(campaignSteps.id, target.campaignStepId), eq(campaignSteps.workspaceId, workspaceId)));
    if (!step)
      throw new ValidationError("That campaign step is not in this workspace", {
        campaignStepId: ["Not found"],
      });
    return { source: "email", medium: "email", campaign: slugify(step.name).slice(0, 100) };
  }
  return null;
}

/** Input already parsed by `createLinkInput` (tRPC does it; other callers parse first). */
export async function createLink(ctx: WorkspaceServiceContext, input: CreateLinkInput) {
  const defaults = await resolveTarget(ctx.db, ctx.workspaceId, input);
  for (let attempt = 0; ; attempt++) {
    try {
      const [row] = await ctx.db
        .insert(trackedLinks)
        .values({
          workspaceId: ctx.workspaceId,
          code: newLinkCode(),
          destination: input.destination,
          label: input.label,
          // Left out: the tied item's values. Sent empty: no parameter.
          utmSource: input.utmSource === undefined ? (defaults?.source ?? null) : input.utmSource,
          utmMedium: input.utmMedium === undefined ? (defaults?.medium ?? null) : input.utmMedium,
          utmCampaign: input.utmCampaign === undefined ? (defaults?.campaign ?? null) : input.utmCampaign,
          contentId: input.contentId,
          campaignStepId: input.campaignStepId,
          createdBy: ctx.actor.userId,
        })
        .returning();
      await record(
        ctx.db,
        ctx.actor,
        ctx.workspaceId,
        "link.created",
        { type: "tracked_link", id: row!.id },
        {
          code: row!.code,
          destination: row!.destination,
        },
      );
      return row!;
    } catch (err) {
      // A code drawn twice (about once in 10^12): draw again.
      if (isUniqueViolation(err, "tracked_links_code") && attempt < 5) continue;
      throw err;
    }
  }
}

/** Input already parsed by `updateLinkInput`: only what it carries changes. */
export async function updateLink(ctx: WorkspaceServiceContext, input: UpdateLinkInput) {
  if (input.contentId !== undefined || input.campaignStepId !== undefined) {
    const [current] = await ctx.db
      .select({ contentId: trackedLinks.contentId, campaignStepId: trackedLinks.campaignStepId })
      .from(trackedLinks)
      .where(and(eq(trackedLinks.id, input.id), eq(trackedLinks.workspaceId, ctx.workspaceId)));
    if (!current) throw new NotFoundError("Link not found");
    await resolveTarget(ctx.db, ctx.workspaceId, {
      contentId: input.contentId === undefined ? current.contentId : input.contentId,
      campaignStepId: input.campaignStepId === undefined ? current.campaignStepId : input.campaignStepId,
    });
  }
  const { id, ...changes } = input;
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const [row] = await ctx.db
    .update(trackedLinks)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(trackedLinks.id, id), eq(trackedLinks.workspaceId, ctx.workspaceId)))
    .returning();
  if (!row) throw new NotFoundError("Link not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "link.updated",
    { type: "tracked_link", id: row.id },
    {
      code: row.code,
      changed: Object.keys(set),
    },
  );
  return row;
}

export async function deleteLink(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .delete(trackedLinks)
    .where(and(eq(trackedLinks.id, input.id), eq(trackedLinks.workspaceId, ctx.workspaceId)))
    .returning({ id: trackedLinks.id, code: trackedLinks.code });
  if (!row) throw new NotFoundError("Link not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "link.deleted",
    { type: "tracked_link", id: row.id },
    {
      code: row.code,
    },
  );
  return { id: row.id };
}

export interface LinkListItem {
  id: string;
  code: string;
  destination: string;
  label: string;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  contentId: string | null;
  contentTitle: string | null;
  campaignStepId: string | null;
  campaignName: string | null;
  createdAt: Date;
  /** People's clicks in the last 30 local days (today included), and ever. */
  clicks30d: number;
  clicksTotal: number;
  /** Bots, scanners and prefetches: counted apart, never in the figures above. */
  machineClicksTotal: number;
}

/** The workspace's links, newest first, with their click figures (the last 500). */
export async function listLinks(db: Db, workspaceId: string): Promise<LinkListItem[]> {
  const result = await db.execute(sql`
    select l.id, l.code, l.destination, l.label, l.utm_source, l.utm_medium, l.utm_campaign,
      l.content_id, c.title as content_title, l.campaign_step_id, ec.name as campaign_name, l.created_at,
      coalesce(k.clicks_30d, 0)::int as clicks_30d, coalesce(k.clicks_total, 0)::int as clicks_total,
      coalesce(k.machine_total, 0)::int as machine_total
    from tracked_links l
    join workspaces w on w.id = l.workspace_id
    left join content c on c.id = l.content_id and c.workspace_id = l.workspace_id
    left join campaign_steps cs on cs.id = l.campaign_step_id and cs.workspace_id = l.workspace_id
    left join email_campaigns ec on ec.id = cs.campaign_id and ec.workspace_id = l.workspace_id
    left join lateral (
      select
        sum(d.clicks) filter (where d.day > (now() at time zone w.time_zone)::date - 30) as clicks_30d,
        sum(d.clicks) as clicks_total,
        sum(d.machine_clicks) as machine_total
      from tracked_link_clicks d where d.workspace_id = l.workspace_id and d.link_id = l.id
    ) k on true
    where l.workspace_id = ${workspaceId}
    order by l.created_at desc, l.id desc
    limit 500`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    id: String(r.id),
    code: String(r.code),
    destination: String(r.destination),
    label: String(r.label),
    utmSource: (r.utm_source as string | null) ?? null,
    utmMedium: (r.utm_medium as string | null) ?? null,
    utmCampaign: (r.utm_campaign as string | null) ?? null,
    contentId: (r.content_id as string | null) ?? null,
    contentTitle: (r.content_title as string | null) ?? null,
    campaignStepId: (r.campaign_step_id as string | null) ?? null,
    campaignName: (r.campaign_name as string | null) ?? null,
    createdAt: new Date(r.created_at as string | Date),
    clicks30d: Number(r.clicks_30d),
    clicksTotal: Number(r.clicks_total),
    machineClicksTotal: Number(r.machine_total),
  }));
}

/** A link's clicks per local day over the last `days` days, oldest first, zero days included. */
export async function linkClicksByDay(db: Db, workspaceId: string, linkId: string, days = 30) {
  const [link] = await db
    .select({ id: trackedLinks.id })
    .from(trackedLinks)
    .where(and(eq(trackedLinks.id, linkId), eq(trackedLinks.workspaceId, workspaceId)));
  if (!link) throw new NotFoundError("Link not found");
  const result = await db.execute(sql`
    with w as (select (now() at time zone time_zone)::date as today from workspaces where id = ${workspaceId})
    select g.day::date::text as day, coalesce(d.clicks, 0)::int as clicks, coalesce(d.machine_clicks, 0)::int as machine_clicks
    from w, generate_series(w.today - ${days - 1}::int, w.today, interval '1 day') g(day)
    left join tracked_link_clicks d
      on d.workspace_id = ${workspaceId} and d.link_id = ${linkId} and d.day = g.day::date
    order by g.day`);
  return rowsOf<{ day: string; clicks: number; machine_clicks: number }>(result).map((r) => ({
    day: r.day,
    clicks: Number(r.clicks),
    machineClicks: Number(r.machine_clicks),
  }));
}

/**
 * A visit to `/l/<code>`: counts it on the workspace's local day — as a person's click, or apart
 * as a machine's (the email tracking rules, `isbot`, HEAD requests) — and returns where to send the
 * visitor, or null for a code nobody issued.
 */
export async function followLink(
  db: Db,
  code: string,
  r: TrackRequest & { method: string },
): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{3,32}$/.test(code) || !isStorableText(code)) return null;
  const machine =
    r.method !== "GET" ||
    isMachineRequest(r, { type: "click", sentAt: null }) ||
    isbot(r.userAgent?.trim() ?? "");
  // A person's click gets its own row (its id is the click id the destination receives); a
  // machine's is only counted.
  const result = await db.execute(sql`
    with link as (
      select l.id, l.workspace_id, l.destination, l.utm_source, l.utm_medium, l.utm_campaign,
        l.code, l.content_id, l.campaign_step_id, c.type as content_type, cs.campaign_id as email_campaign_id,
        a.tag_template, (now() at time zone w.time_zone)::date as day
      from tracked_links l join workspaces w on w.id = l.workspace_id
      left join content c on c.id = l.content_id and c.workspace_id = l.workspace_id
      left join campaign_steps cs on cs.id = l.campaign_step_id and cs.workspace_id = l.workspace_id
      left join amazon_ads_connections a on a.workspace_id = l.workspace_id
      where l.code = ${code}
    ), counted as (
      insert into tracked_link_clicks (workspace_id, link_id, day, clicks, machine_clicks)
      select workspace_id, id, day, ${machine ? 0 : 1}, ${machine ? 1 : 0} from link
      on conflict (link_id, day) do update set
        clicks = tracked_link_clicks.clicks + excluded.clicks,
        machine_clicks = tracked_link_clicks.machine_clicks + excluded.machine_clicks
      returning 1
    ), click as (
      insert into link_clicks (workspace_id, link_id)
      select workspace_id, id from link where ${!machine}
      returning id
    )
    select destination, utm_source, utm_medium, utm_campaign, code, content_id, campaign_step_id,
      content_type, email_campaign_id, tag_template, (select id from click) as click_id from link`);
  const link = rowsOf<{
    destination: string;
    utm_source: string | null;
    utm_medium: string | null;
    utm_campaign: string | null;
    code: string;
    content_id: string | null;
    campaign_step_id: string | null;
    content_type: string | null;
    email_campaign_id: string | null;
    tag_template: string | null;
    click_id: string | null;
  }>(result)[0];
  if (!link) return null;
  const withUtm = destinationWithUtm({
    destination: link.destination,
    utmSource: link.utm_source,
    utmMedium: link.utm_medium,
    utmCampaign: link.utm_campaign,
  });
  // An Amazon product or Store page gets the workspace's Amazon Attribution tag, with identifiers
  // that map Amazon's reports back to this link's content item or campaign step.
  const ids = attributionIds({
    code: link.code,
    contentId: link.content_id,
    contentType: link.content_type,
    campaignStepId: link.campaign_step_id,
    emailCampaignId: link.email_campaign_id,
  });
  const url = new URL(withAttributionTag(withUtm, link.tag_template, ids));
  if (link.click_id) url.searchParams.set(CLICK_ID_PARAM, link.click_id);
  return url.toString();
}

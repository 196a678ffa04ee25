/**
 * Enum values the browser and the server share. The database schema (server/db/schema) builds its
 * `pgEnum`s from these and re-exports them; forms import them from here, so a client bundle never
 * pulls in Drizzle tables to list a select's options (`npm run lint` checks that, see
 * scripts/check-client-imports.ts). Imports nothing.
 */

export const CONTENT_TYPES = ["tiktok", "blog", "email"] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
/**
 * `sent_to_inbox`: TikTok put the video in the creator's inbox (SEND_TO_USER_INBOX) instead of
 * posting it; it is not published until the creator finishes posting it in the TikTok app.
 */
export const CONTENT_STATUSES = [
  "draft",
  "scheduled",
  "publishing",
  "published",
  "sent_to_inbox",
  "failed",
] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

export const CAMPAIGN_TYPES = ["one-time", "sequence", "triggered"] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];
export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "sending",
  "sent",
  "active",
  "paused",
  "cancelled",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const LEAD_STATUSES = ["active", "pending", "unsubscribed", "bounced", "complained"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const CUSTOM_FIELD_TYPES = ["text", "number", "date", "boolean", "select"] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Amazon SP-API regions (server/integrations/amazon/regions.ts maps them to hosts). */
export const AMAZON_REGIONS = ["na", "eu", "fe"] as const;
export type AmazonRegion = (typeof AMAZON_REGIONS)[number];

/** The analytics periods a page can ask for (server/services/analytics/schemas.ts validates them). */
export const RANGE_PRESETS = ["today", "7d", "30d", "90d", "mtd", "custom"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** The content list's sort columns (listContentInput and the list page's URL). */
export const CONTENT_SORT_FIELDS = [
  "createdAt",
  "updatedAt",
  "scheduledAt",
  "publishedAt",
  "title",
  "views",
  "revenue",
] as const;

/** The leads list's sort columns, page size, and the most leads one bulk action may name by id. */
export const LEAD_SORT_FIELDS = ["createdAt", "email", "name"] as const;
export const LEADS_PAGE_SIZE = 50;
export const BULK_MAX_IDS = 500;

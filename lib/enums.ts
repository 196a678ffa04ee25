/**
 * Enum values the browser and the server share. The database schema (server/db/schema) builds its
 * `pgEnum`s from these and re-exports them; forms import them from here, so a client bundle never
 * pulls in Drizzle tables to list a select's options (`npm run lint` checks that, see
 * scripts/check-client-imports.ts). Imports nothing.
 */

export const CONTENT_TYPES = ["tiktok", "youtube", "instagram", "blog", "email"] as const;
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
export const REGION_LABELS: Record<AmazonRegion, string> = {
  na: "North America",
  eu: "Europe",
  fe: "Far East",
};

/** Marketplaces the contract lists, with the region whose host serves them. */
export const MARKETPLACES: { id: string; name: string; region: AmazonRegion }[] = [
  { id: "ATVPDKIKX0DER", name: "United States", region: "na" },
  { id: "A2EUQ1WTGCTBG", name: "Canada", region: "na" },
  { id: "A1AM78C64UM0Y8", name: "Mexico", region: "na" },
  { id: "A1F83G8C2ARO7P", name: "United Kingdom", region: "eu" },
  { id: "A1PA6795UKMFR9", name: "Germany", region: "eu" },
  { id: "A1VC38T7YXB528", name: "Japan", region: "fe" },
];

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

/** A signup form's settings before anyone edits them (the form editor's new draft and the schema's defaults). */
export const FORM_SETTINGS_DEFAULTS = {
  title: "",
  description: "",
  buttonLabel: "Subscribe",
  successMessage: "Thanks! You're on the list.",
  redirectUrl: "",
} as const;

/** How long an invitation link works. */
export const INVITATION_TTL_DAYS = 7;
/** The roles an SSO sign-in may join a workspace with. */
export const AUTO_JOIN_ROLES = ["viewer", "member", "admin"] as const;

/** How a workspace's mail leaves (Settings → Sending): the operator's server, its own SMTP, Gmail. */
export const MAIL_SERVER_MODES = ["default", "own", "gmail"] as const;
export type MailServerMode = (typeof MAIL_SERVER_MODES)[number];

export const SMTP_SECURITY = ["none", "starttls", "tls"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];
export const SMTP_SECURITY_LABELS: Record<SmtpSecurity, string> = {
  starttls: "STARTTLS (usually port 587)",
  tls: "TLS from the start (usually port 465)",
  none: "None (plain text; local relays only)",
};
export const DEFAULT_PORT: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

/**
 * Every dashboard page the command palette (⌘K) can jump to: the main navigation
 * (components/dashboard/nav.ts), the settings tabs and the pages below them. The search service
 * leaves out pages of switched-off parts (lib/features.ts) and pages above the caller's role;
 * tests/unit/palette-pages.test.ts checks that no navigation line or settings tab is missing.
 * Browser-safe: plain data.
 */
export interface PalettePage {
  label: string;
  /** Below /<workspace>; "" is the overview. */
  path: string;
  /** Where it sits, shown beside the label ("Settings", "Leads"…). */
  section: string;
  /** Extra words it is found by. */
  keywords?: string[];
  /** Pages whose data only admins may read. */
  adminOnly?: boolean;
}

export const PALETTE_PAGES: PalettePage[] = [
  { label: "Overview", path: "", section: "Pages", keywords: ["home", "dashboard"] },
  { label: "Content", path: "/content", section: "Pages", keywords: ["posts"] },
  { label: "New post", path: "/content/new", section: "Content", keywords: ["create", "write"] },
  { label: "Calendar", path: "/content/calendar", section: "Content", keywords: ["schedule"] },
  { label: "Media", path: "/content/media", section: "Content", keywords: ["images", "videos", "uploads"] },
  {
    label: "Links",
    path: "/content/links",
    section: "Content",
    keywords: ["short links", "utm", "tracking", "clicks"],
  },
  { label: "Approvals", path: "/approvals", section: "Content", keywords: ["review", "approve"] },
  { label: "Email", path: "/email", section: "Pages", keywords: ["campaigns", "newsletters"] },
  { label: "New campaign", path: "/email/new", section: "Email", keywords: ["create"] },
  { label: "Outbox", path: "/email/outbox", section: "Email", keywords: ["mail"], adminOnly: true },
  {
    label: "Email templates",
    path: "/email/templates",
    section: "Email",
    keywords: ["blocks", "saved emails"],
  },
  {
    label: "Suppression list",
    path: "/email/suppressions",
    section: "Email",
    keywords: ["bounces", "unsubscribes", "complaints", "blocklist", "do not mail"],
  },
  { label: "Leads", path: "/leads", section: "Pages", keywords: ["contacts", "subscribers"] },
  { label: "Segments", path: "/leads/segments", section: "Leads", keywords: ["audiences", "filters"] },
  { label: "Import leads", path: "/leads/import", section: "Leads", keywords: ["csv", "upload"] },
  { label: "Custom fields", path: "/leads/fields", section: "Leads" },
  { label: "Fulfillment", path: "/fulfillment", section: "Pages", keywords: ["orders", "shipping"] },
  { label: "Analytics", path: "/analytics", section: "Pages", keywords: ["reports", "revenue"] },
  { label: "Integrations", path: "/integrations", section: "Pages", keywords: ["tiktok", "amazon", "gmail"] },
  { label: "Settings", path: "/settings", section: "Pages", keywords: ["general", "workspace"] },
  { label: "Brand", path: "/settings/brand", section: "Settings", keywords: ["voice", "products"] },
  {
    label: "Posting queue",
    path: "/settings/queue",
    section: "Settings",
    keywords: ["slots", "approval"],
  },
  { label: "Members", path: "/settings/members", section: "Settings", keywords: ["team", "invite"] },
  {
    label: "Sending",
    path: "/settings/sending",
    section: "Settings",
    keywords: ["smtp", "sender", "dkim", "domains"],
  },
  {
    label: "Delivery",
    path: "/settings/delivery",
    section: "Settings",
    keywords: ["bounces", "imap", "quiet hours", "suppression", "replies"],
  },
  { label: "Forms", path: "/settings/forms", section: "Settings", keywords: ["signup"] },
  {
    label: "Attribution",
    path: "/settings/attribution",
    section: "Settings",
    keywords: ["orders", "revenue", "shopify", "woocommerce"],
  },
  { label: "API keys", path: "/settings/api-keys", section: "Settings", keywords: ["rest"], adminOnly: true },
  { label: "API docs", path: "/settings/api-docs", section: "Settings", keywords: ["openapi", "rest"] },
  { label: "Webhooks", path: "/settings/webhooks", section: "Settings", adminOnly: true },
  { label: "Activity", path: "/settings/activity", section: "Settings", keywords: ["audit", "log"] },
  { label: "Profile", path: "/settings/profile", section: "Settings", keywords: ["account", "name"] },
  { label: "Security", path: "/settings/security", section: "Settings", keywords: ["password", "passkeys"] },
];

/**
 * The parts of the app an ENABLE_* flag switches off, and what each part is made of — the one map
 * every layer reads: tRPC (server/api/trpc.ts), REST and its OpenAPI document (server/api/rest),
 * pages and public paths (proxy.ts), navigation (components/dashboard/nav.ts), content types
 * (server/services/content) and jobs (each job definition's `feature`, server/queue). Shared with
 * the browser: it reads no env (server/features.ts says which parts are on).
 *
 * Kept on whatever the flags say, on purpose: unsubscribe links (a recipient must always be able to
 * leave, CAN-SPAM/GDPR), open/click tracking redirects (links in mail already delivered keep
 * working), hosted signup forms and leads (lead capture is its own part; a confirmation is app mail),
 * and the app-mail outbox (invitations and account mail, not marketing).
 */
export const FEATURES = ["tiktok", "youtube", "instagram", "email", "blog", "analytics"] as const;
export type Feature = (typeof FEATURES)[number];

/** The content types (server/db/schema CONTENT_TYPES; not imported: this file stays browser-safe). */
export type PartContentType = "tiktok" | "youtube" | "instagram" | "blog" | "email";

export interface FeaturePart {
  /** The variable in lib/env.ts. */
  flag:
    | "ENABLE_TIKTOK_INTEGRATION"
    | "ENABLE_YOUTUBE_INTEGRATION"
    | "ENABLE_INSTAGRAM_INTEGRATION"
    | "ENABLE_EMAIL_MARKETING"
    | "ENABLE_BLOG_ENGINE"
    | "ENABLE_ANALYTICS";
  label: string;
  /** tRPC procedure paths: "email.campaigns" covers every `email.campaigns.*` procedure. */
  trpc: string[];
  /** REST paths below /api/v1 ("/campaigns" covers "/campaigns/{id}/send"). */
  rest: string[];
  /** Dashboard pages below /<workspace> (hidden in the navigation, a "turned off" page when visited). */
  pages: string[];
  /** Paths outside the dashboard (public pages, OAuth callbacks): 404. */
  publicPaths: string[];
  /** Content types of this part: not created, scheduled, published or generated while it is off. */
  contentTypes: PartContentType[];
  /** Integrations (Integrations page cards) that serve only this part: shown off, not connected. */
  integrations: string[];
}

export const FEATURE_PARTS: Record<Feature, FeaturePart> = {
  tiktok: {
    flag: "ENABLE_TIKTOK_INTEGRATION",
    label: "The TikTok integration",
    // Connect/test/sync take the provider as input: the integration services refuse TikTok themselves.
    trpc: ["integrations.tiktokCreatorInfo"],
    rest: [],
    pages: [],
    publicPaths: ["/api/integrations/tiktok"],
    contentTypes: ["tiktok"],
    integrations: ["tiktok"],
  },
  youtube: {
    flag: "ENABLE_YOUTUBE_INTEGRATION",
    label: "The YouTube integration",
    trpc: [],
    rest: [],
    pages: [],
    publicPaths: ["/api/integrations/youtube"],
    contentTypes: ["youtube"],
    integrations: ["youtube"],
  },
  instagram: {
    flag: "ENABLE_INSTAGRAM_INTEGRATION",
    label: "The Instagram integration",
    trpc: [],
    rest: [],
    pages: [],
    publicPaths: ["/api/integrations/instagram"],
    contentTypes: ["instagram"],
    integrations: ["instagram"],
  },
  email: {
    flag: "ENABLE_EMAIL_MARKETING",
    label: "Email marketing",
    trpc: ["email.campaigns", "email.sender"],
    rest: ["/campaigns"],
    pages: ["/email", "/settings/sending", "/settings/delivery"],
    publicPaths: [],
    contentTypes: ["email"],
    // Campaign transports (the workspace's own SMTP server, Gmail).
    integrations: ["gmail", "smtp"],
  },
  blog: {
    flag: "ENABLE_BLOG_ENGINE",
    label: "The blog",
    trpc: [],
    rest: [],
    pages: [],
    publicPaths: ["/blog"],
    contentTypes: ["blog"],
    integrations: [],
  },
  analytics: {
    flag: "ENABLE_ANALYTICS",
    label: "Analytics",
    trpc: ["analytics"],
    rest: ["/analytics"],
    pages: ["/analytics"],
    publicPaths: [],
    contentTypes: [],
    // Amazon's orders feed the revenue figures.
    integrations: ["amazon"],
  },
};

/** Pages under a switched-off part that stay: the app-mail outbox lives under /email. */
const PAGES_KEPT = ["/email/outbox"];

export function featureOffMessage(feature: Feature): string {
  return `${FEATURE_PARTS[feature].label} is turned off on this server`;
}

const under = (path: string, prefix: string, sep: string) =>
  path === prefix || path.startsWith(`${prefix}${sep}`);

/** The part a tRPC path, REST path, dashboard page or public path belongs to, if any. */
export function featureOf(kind: "trpc" | "rest" | "pages" | "publicPaths", path: string): Feature | null {
  const sep = kind === "trpc" ? "." : "/";
  if (kind === "pages" && PAGES_KEPT.some((p) => under(path, p, sep))) return null;
  for (const f of FEATURES) {
    if (FEATURE_PARTS[f][kind].some((prefix) => under(path, prefix, sep))) return f;
  }
  return null;
}

export function featureOfContentType(type: string): Feature | null {
  return FEATURES.find((f) => (FEATURE_PARTS[f].contentTypes as string[]).includes(type)) ?? null;
}

/** Whether a page (below /<workspace>) is shown, given the parts that are on. */
export function pageIsOn(path: string, enabled: readonly Feature[]): boolean {
  const f = featureOf("pages", path);
  return !f || enabled.includes(f);
}

/** Whether content of this type can be made (its part is on). */
export function contentTypeIsOn(type: string, enabled: readonly Feature[]): boolean {
  const f = featureOfContentType(type);
  return !f || enabled.includes(f);
}

export function featureOfIntegration(provider: string): Feature | null {
  return FEATURES.find((f) => FEATURE_PARTS[f].integrations.includes(provider)) ?? null;
}

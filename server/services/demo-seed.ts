import { and, eq, inArray, sql } from "drizzle-orm";
import { randomToken, sha256Hex } from "@/lib/crypto";
import type { Db } from "@/server/db";
import {
  type CampaignStatus,
  type CampaignType,
  type ContentStatus,
  type ContentType,
  content,
  contentMetrics,
  emailCampaigns,
  type LeadStatus,
  leads,
  workspaceInvitations,
  workspaces,
} from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "./activity";
import type { Actor } from "./context";
import { INVITATION_TTL_DAYS } from "./workspaces/schemas";

/**
 * Demo data for a small card-game company ("Fernwood Games", maker of the Thornfall card game), so a
 * fresh workspace shows what the dashboard looks like in use. Deterministic: the same seed gives the
 * same people, posts and numbers on every run (dates are relative to now).
 */

const SEED = 0x7f4a_2026;
const DAY = 86_400_000;
const STORE = "https://fernwood.example.com";

/** mulberry32: tiny, fast, good enough for demo data, and identical on every platform. */
function createRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  };
  const between = (min: number, max: number) => min + next() * (max - min);
  /** Log-uniform: view counts spread over orders of magnitude, like real posts. */
  const logBetween = (min: number, max: number) =>
    Math.round(Math.exp(between(Math.log(min), Math.log(max))));
  return { next, int, pick, weighted, between, logBetween, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof createRng>;

// ---------------------------------------------------------------- leads

// biome-ignore format: a name list reads better in rows
const FIRST_NAMES = [
  "Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Priya", "Lucas", "Chloe", "Mateo",
  "Hana", "Owen", "Sofia", "Caleb", "Amara", "Jonas", "Leila", "Felix", "Nora", "Diego",
  "Ines", "Theo", "Keiko", "Marcus", "Elena", "Ravi", "Freya", "Samir", "Tessa", "Jude",
] as const;
// biome-ignore format: a name list reads better in rows
const LAST_NAMES = [
  "Carter", "Nguyen", "Okafor", "Schmidt", "Patel", "Rossi", "Kowalski", "Tanaka", "Dubois", "Moreno",
  "Lindqvist", "Brennan", "Haddad", "Fischer", "Alvarez", "Park", "Mensah", "Novak", "Ortega", "Walsh",
] as const;
const DOMAINS = ["example.com", "example.net", "example.org"] as const;
const COUNTRIES = [
  ["US", 52],
  ["CA", 12],
  ["GB", 11],
  ["DE", 8],
  ["AU", 7],
  ["NL", 5],
  ["SE", 5],
] as const;
const LEAD_SOURCES = [
  ["tiktok", 34],
  ["signup-form", 30],
  ["blog", 20],
  ["import", 16],
] as const;
const LEAD_STATUSES = [
  ["active", 86],
  ["unsubscribed", 6],
  ["bounced", 4],
  ["pending", 2],
  ["complained", 2],
] as const satisfies readonly (readonly [LeadStatus, number])[];

const LEAD_COUNT = 60;

function isoDay(d: Date) {
  return d.toISOString().slice(0, 10);
}

function buildLeads(rng: Rng, workspaceId: string, now: number) {
  const seen = new Set<string>();
  const rows: (typeof leads.$inferInsert)[] = [];
  for (let i = 0; i < LEAD_COUNT; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const local = rng.weighted([
      [`${first}.${last}`, 5],
      [`${first[0]}${last}`, 3],
      [`${first}${rng.int(7, 99)}`, 2],
    ] as const);
    let email = `${local}@${rng.pick(DOMAINS)}`.toLowerCase();
    if (seen.has(email)) email = email.replace("@", `.${i}@`);
    seen.add(email);

    const source = rng.weighted(LEAD_SOURCES);
    const status = rng.weighted(LEAD_STATUSES);
    const createdAt = new Date(now - rng.between(0.2, 90) * DAY);
    const customer = source === "import" ? rng.chance(0.8) : rng.chance(0.35);
    const tags: string[] = [];
    if (status === "active" || status === "pending" ? rng.chance(0.8) : rng.chance(0.5))
      tags.push("newsletter");
    if (customer) tags.push("customer");
    if (customer && rng.chance(0.25)) tags.push("vip");
    if (source === "tiktok" && rng.chance(0.6)) tags.push("tiktok-giveaway");
    if (rng.chance(0.2)) tags.push("ember-tide-preorder");
    if (source === "import" && rng.chance(0.3)) tags.push("retailer");
    if (rng.chance(0.08)) tags.push("playtester");

    const customFields: Record<string, unknown> = { country: rng.weighted(COUNTRIES) };
    if (customer) {
      // Imported customers may have ordered before they joined the list.
      const firstOrder = new Date(
        createdAt.getTime() + rng.between(source === "import" ? -200 : 0, 20) * DAY,
      );
      customFields.first_order = isoDay(new Date(Math.min(firstOrder.getTime(), now - DAY)));
      customFields.orders = rng.weighted([
        [1, 6],
        [2, 3],
        [3, 1],
        [5, 1],
      ] as const);
    }
    if (source === "tiktok")
      customFields.utm_campaign = rng.pick(["ember-tide-teaser", "giveaway-nov", "how-to-play"]);
    if (rng.chance(0.3))
      customFields.favorite_faction = rng.pick(["Thornwardens", "Ashen Court", "Tidecallers"]);

    rows.push({
      workspaceId,
      email,
      name: `${first} ${last}`,
      tags,
      source,
      status,
      customFields,
      createdAt,
      updatedAt: createdAt,
    });
  }
  return rows.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
}

// ---------------------------------------------------------------- content

interface ContentTemplate {
  type: ContentType;
  status: ContentStatus;
  title: string;
  body: string;
  /** Days from now: negative is the past. Published/failed items happen then; scheduled ones are due then. */
  day: number;
  /** Blog posts: the URL segment. */
  slug?: string;
  metadata?: Record<string, unknown>;
}

const tiktok = (title: string, hashtags: string[], status: ContentStatus, day: number, body: string) =>
  ({ type: "tiktok", status, title, day, body, metadata: { hashtags } }) as const;

const CONTENT: ContentTemplate[] = [
  tiktok(
    "Unboxing the Ember Tide expansion",
    ["thornfall", "cardgame", "unboxing", "boardgametok"],
    "published",
    -78,
    "Fresh from the printer: 120 new cards, two new factions and the foil Ember Drake. Which card should we reveal next?",
  ),
  tiktok(
    "Thornfall in 60 seconds: how to play",
    ["thornfall", "howtoplay", "cardgame"],
    "published",
    -71,
    "Draw two, play one, grow your grove. That's the whole turn. Here's a full round in under a minute.",
  ),
  tiktok(
    "Rating every Ashen Court card (part 1)",
    ["thornfall", "tierlist", "tcg"],
    "published",
    -60,
    "Ashen Court tier list, part one. Disagree? Tell us in the comments and we'll feature the best takes.",
  ),
  tiktok(
    "We printed a card wrong. Here's what happened",
    ["smallbusiness", "thornfall", "behindthescenes"],
    "published",
    -47,
    "2,000 copies of Tidecaller Oracle with the wrong cost. What we did next (and how to get a free replacement).",
  ),
  tiktok(
    "Giveaway: win a signed Ember Tide box",
    ["giveaway", "thornfall", "boardgames"],
    "published",
    -33,
    "Follow, comment your favourite faction and tag a friend you'd play with. Winner picked Friday.",
  ),
  tiktok(
    "Game night at the studio",
    ["gamenight", "cardgame", "thornfall"],
    "published",
    -19,
    "Our Friday playtest got loud. Three-player free-for-all with the new Grovekeeper rules.",
  ),
  tiktok(
    "Combo of the week: Drake + Kindling",
    ["thornfall", "combo", "tcg"],
    "published",
    -6,
    "Eleven damage on turn four. Here's the line, and the one card that stops it.",
  ),
  tiktok(
    "Packing 300 holiday orders in one day",
    ["smallbusiness", "packwithme", "thornfall"],
    "scheduled",
    3,
    "Timelapse of the whole team packing the holiday rush. Every box gets a hand-signed thank-you card.",
  ),
  tiktok(
    "Sneak peek: the Frostmarch faction",
    ["thornfall", "spoiler", "cardgame"],
    "scheduled",
    11,
    "First look at the faction coming in spring. Cold, patient and very annoying to play against.",
  ),
  tiktok(
    "Thornfall vs. the in-laws",
    ["thanksgiving", "familygamenight", "thornfall"],
    "failed",
    -2,
    "Teaching the whole family to play after dinner. Grandma won. Twice.",
  ),
  {
    type: "tiktok",
    status: "draft",
    title: "Reacting to your weirdest decks",
    day: -1,
    body: "Stitch ideas: a 40-card deck with zero creatures, the all-Drake deck, the 'only commons' challenge.",
  },

  {
    type: "blog",
    status: "published",
    title: "Designing Ember Tide: two years, 400 playtests and one very hot drake",
    day: -82,
    body: "## Where it started\n\nEmber Tide began as a single card scribbled on a napkin...\n\n## What playtesting taught us\n\nOur first build of the Kindling mechanic was broken in the funniest way...\n\n## What's in the box\n\n120 cards, two factions, rules for three players. [Pre-order it here](https://fernwood.example.com/ember-tide).",
    slug: "designing-ember-tide",
    metadata: { readingMinutes: 9 },
  },
  {
    type: "blog",
    status: "published",
    title: "The beginner's guide to Thornfall deckbuilding",
    day: -64,
    body: "## Start with 40 cards\n\nA legal deck is 40 cards from at most two factions...\n\n## The 16/16/8 rule\n\nSixteen creatures, sixteen spells, eight groves. Then break it once you know why it works.",
    slug: "beginners-guide-deckbuilding",
    metadata: { readingMinutes: 7 },
  },
  {
    type: "blog",
    status: "published",
    title: "Five two-player card games to play this winter (including ours)",
    day: -41,
    body: "Long nights call for short games. Here are five we keep coming back to at the studio...",
    slug: "two-player-card-games-winter",
    metadata: { readingMinutes: 6 },
  },
  {
    type: "blog",
    status: "published",
    title: "Behind the art: painting the Tidecaller Oracle",
    day: -26,
    body: "Our illustrator Mira walks through the Oracle from thumbnail sketch to final painting...",
    slug: "behind-the-art-tidecaller-oracle",
    metadata: { readingMinutes: 5 },
  },
  {
    type: "blog",
    status: "published",
    title: "Holiday gift guide: Thornfall for every kind of player",
    day: -9,
    body: "New to card games? Start with the Starter Duo. Already hooked? Ember Tide and the playmat...",
    slug: "holiday-gift-guide",
    metadata: { readingMinutes: 4 },
  },
  {
    type: "blog",
    status: "scheduled",
    title: "Our 2026 in numbers",
    day: 30,
    body: "Cards printed, games played at conventions, and the most-banned card in our Discord league...",
    slug: "2026-in-numbers",
    metadata: { readingMinutes: 5 },
  },
  {
    type: "blog",
    status: "draft",
    title: "Organised play: running a Thornfall night at your local game store",
    day: -4,
    body: "Outline: what you need, a sample 3-round Swiss format, prize support we send to stores.",
    slug: "organised-play-guide",
    metadata: { readingMinutes: 6 },
  },
  {
    type: "blog",
    status: "publishing",
    title: "Rules update: Kindling errata and two bans",
    day: 0,
    body: "Effective immediately: Kindling now exiles instead of discarding, and Emberfall Ritual is banned in league play.",
    slug: "rules-update-kindling-errata",
    metadata: { readingMinutes: 3 },
  },

  {
    type: "email",
    status: "published",
    title: "Ember Tide is here",
    day: -20,
    body: "The expansion you helped playtest ships today. Existing pre-orders go out first; everyone else can order now.",
    metadata: {
      subject: "Ember Tide is here 🔥",
      preheader: "120 new cards, two factions, one very hot drake",
    },
  },
  {
    type: "email",
    status: "published",
    title: "November newsletter",
    day: -12,
    body: "Convention recap, a new combo of the week, and the winner of the signed-box giveaway.",
    metadata: {
      subject: "Thornfall news: November",
      preheader: "Con recap, a nasty combo and a giveaway winner",
    },
  },
  {
    type: "email",
    status: "scheduled",
    title: "Black Friday: 25% off the Starter Duo",
    day: 1,
    body: "This weekend only: the best way to learn Thornfall is 25% off. Free shipping on orders over $50.",
    metadata: {
      subject: "25% off the Starter Duo this weekend",
      preheader: "The best two-player gift, for less",
    },
  },
  {
    type: "email",
    status: "scheduled",
    title: "Last day for holiday shipping",
    day: 18,
    body: "Order by midnight for delivery before the holidays (US and Canada). Gift wrap is free.",
    metadata: { subject: "Last call for holiday delivery", preheader: "Order by midnight, gift wrap on us" },
  },
  {
    type: "email",
    status: "draft",
    title: "January restock announcement",
    day: -3,
    body: "Draft: the core set is back in stock, plus sleeves and playmats in the new Frostmarch colours.",
    metadata: { subject: "Back in stock: Thornfall core set", preheader: "" },
  },
];

const FAILURE = {
  error: "TikTok rejected the upload: the video must be at least 3 seconds long (got 1.8 s)",
  errorCode: "video_too_short",
  attempts: 3,
} as const;

function contentMetricsFor(rng: Rng, type: ContentType) {
  const views =
    type === "tiktok"
      ? rng.logBetween(2_500, 180_000)
      : type === "blog"
        ? rng.logBetween(400, 9_000)
        : rng.int(20, 45);
  const rate = (min: number, max: number, of = views) => Math.round(of * rng.between(min, max));
  const clicks = type === "tiktok" ? rate(0.004, 0.02) : type === "blog" ? rate(0.03, 0.09) : rate(0.08, 0.2);
  const conversions = type === "email" ? rate(0.15, 0.35, clicks) : rate(0.03, 0.09, clicks);
  const averageOrder = rng.between(29, 54);
  return {
    views,
    likes: type === "tiktok" ? rate(0.04, 0.12) : type === "blog" ? rate(0, 0.02) : 0,
    shares: type === "tiktok" ? rate(0.003, 0.015) : rate(0.002, 0.01),
    saves: type === "tiktok" ? rate(0.005, 0.03) : type === "blog" ? rate(0, 0.01) : 0,
    clicks,
    conversions,
    revenue: (conversions * averageOrder).toFixed(2),
  };
}

function buildContent(
  rng: Rng,
  p: { workspaceId: string; createdBy: string | null; now: number; takenSlugs: Set<string> },
) {
  const { workspaceId, createdBy, now, takenSlugs } = p;
  return CONTENT.map((t, i) => {
    const jittered = now + t.day * DAY + rng.int(-180, 180) * 60_000;
    const isPast = t.status === "published" || t.status === "failed" || t.status === "publishing";
    // Whatever happened already lies in the past; whatever is scheduled lies ahead.
    const at = new Date(
      isPast
        ? Math.min(jittered, now - 5 * 60_000)
        : t.status === "scheduled"
          ? Math.max(jittered, now + 3_600_000)
          : jittered,
    );
    const createdAt = new Date(Math.min(at.getTime(), now) - rng.between(1, 9) * DAY);
    const wasScheduled = t.status === "published" ? rng.chance(0.6) : t.status !== "draft";
    const metadata: Record<string, unknown> = { demo: true, demoKey: `content-${i + 1}`, ...t.metadata };
    if (t.type === "tiktok") {
      metadata.caption = t.body;
      metadata.durationSeconds = t.status === "failed" ? 1.8 : rng.int(14, 58);
    }
    if (t.status === "failed") Object.assign(metadata, FAILURE, { failedAt: at.toISOString() });
    return {
      workspaceId,
      type: t.type,
      status: t.status,
      title: t.title,
      // A workspace's own post may already use the slug: the demo one steps aside.
      slug: t.slug ? (takenSlugs.has(t.slug) ? `${t.slug}-demo` : t.slug) : null,
      body: t.body,
      metadata,
      scheduledAt: wasScheduled ? at : null,
      publishedAt: t.status === "published" ? at : null,
      // The publisher's claim on an in-flight row, so a stale one is reclaimed like any other.
      // a claim taken just now, as a live publisher would hold it (an old one would be reclaimed)
      claimedAt: t.status === "publishing" ? new Date() : null,
      createdBy,
      createdAt,
      updatedAt: t.status === "draft" ? createdAt : new Date(Math.min(at.getTime(), now)),
    } satisfies typeof content.$inferInsert;
  });
}

// ---------------------------------------------------------------- campaigns

interface CampaignTemplate {
  name: string;
  type: CampaignType;
  status: CampaignStatus;
  segmentCriteria: Record<string, unknown>;
  content: { subject: string; preheader: string; body: string };
  schedule: Record<string, unknown> | null;
  /** Share of the matching leads that were sent to, opened, clicked. */
  reach: [sent: number, opened: number, clicked: number];
}

function campaignTemplates(now: number): CampaignTemplate[] {
  return [
    {
      name: "Ember Tide launch announcement",
      type: "one-time",
      status: "sent",
      segmentCriteria: { statuses: ["active"], tags: ["newsletter"] },
      content: {
        subject: "Ember Tide is here 🔥",
        preheader: "120 new cards, two factions, one very hot drake",
        body: `Hi {{first_name}},\n\nThe expansion you helped shape ships today. Pre-orders go out first, and everyone else can order now at ${STORE}/ember-tide.\n\nSee you at the table,\nThe Fernwood team`,
      },
      schedule: { sendAt: new Date(now - 20 * DAY).toISOString() },
      reach: [1, 0.54, 0.13],
    },
    {
      name: "Holiday gift guide 2026",
      type: "one-time",
      status: "draft",
      segmentCriteria: { statuses: ["active"], tags: ["newsletter"], excludeTags: ["retailer"] },
      content: {
        subject: "The Thornfall gift guide",
        preheader: "Something for every kind of player on your list",
        body: `Hi {{first_name}},\n\nStuck on gifts? Starter Duo for the curious, Ember Tide for the hooked, and the new playmat for the player who has everything: ${STORE}/gifts`,
      },
      schedule: null,
      reach: [0, 0, 0],
    },
    {
      name: "Welcome series",
      type: "sequence",
      status: "active",
      segmentCriteria: { statuses: ["active"], sources: ["signup-form", "tiktok", "blog"] },
      content: {
        subject: "Welcome to Thornfall 🌿",
        preheader: "Your free print-and-play deck is inside",
        body: `Hi {{first_name}},\n\nThanks for joining! Here's the print-and-play starter deck we promised: ${STORE}/print-and-play\n\nIn three days we'll send you our favourite beginner decklists.`,
      },
      schedule: { trigger: "lead.created", steps: [{ delayDays: 0 }, { delayDays: 3 }, { delayDays: 7 }] },
      reach: [0.9, 0.66, 0.24],
    },
    {
      name: "Post-purchase review request",
      type: "triggered",
      status: "paused",
      segmentCriteria: { tags: ["customer"], statuses: ["active"] },
      content: {
        subject: "How are you finding Thornfall?",
        preheader: "Two minutes, one review, our eternal gratitude",
        body: `Hi {{first_name}},\n\nYou've had your cards for two weeks now. Would you leave a short review? It helps a tiny studio more than you'd think: ${STORE}/review`,
      },
      schedule: { trigger: "tag.added", tag: "customer", delayDays: 14 },
      reach: [0.7, 0.48, 0.09],
    },
  ];
}

function matchesSegment(lead: typeof leads.$inferInsert, criteria: Record<string, unknown>) {
  const list = (k: string) => (Array.isArray(criteria[k]) ? (criteria[k] as string[]) : null);
  const tags = lead.tags ?? [];
  const statuses = list("statuses");
  const sources = list("sources");
  const anyTags = list("tags");
  const excluded = list("excludeTags");
  return (
    (!statuses || statuses.includes(lead.status ?? "active")) &&
    (!sources || sources.includes(lead.source ?? "")) &&
    (!anyTags || anyTags.some((t) => tags.includes(t))) &&
    !excluded?.some((t) => tags.includes(t))
  );
}

// ---------------------------------------------------------------- invitations

/** Two teammates still to join, so the members page shows pending invitations. No email is sent. */
function buildInvitations(workspaceId: string, invitedBy: string | null, now: number) {
  return [
    { email: "sam.rivera@example.com", role: "member" as const, sentDaysAgo: 2 },
    { email: "wholesale@example.net", role: "viewer" as const, sentDaysAgo: 1 },
  ].map((i) => ({
    workspaceId,
    email: i.email,
    role: i.role,
    // A fresh random token nobody holds: the invitation shows in lists but cannot be accepted.
    tokenHash: sha256Hex(randomToken()),
    status: "pending" as const,
    invitedBy,
    createdAt: new Date(now - i.sentDaysAgo * DAY),
    expiresAt: new Date(now + (INVITATION_TTL_DAYS - i.sentDaysAgo) * DAY),
  }));
}

// ---------------------------------------------------------------- seed

export interface SeedTableCount {
  inserted: number;
  skipped: number;
}

export interface SeedDemoResult {
  workspaceId: string;
  tables: {
    leads: SeedTableCount;
    content: SeedTableCount;
    contentMetrics: SeedTableCount;
    emailCampaigns: SeedTableCount;
    workspaceInvitations: SeedTableCount;
    activityLogs: SeedTableCount;
  };
}

/**
 * Fills a workspace with demo leads, content (with metrics), email campaigns, pending invitations and
 * an activity entry. Safe to run again: existing leads (same email), campaigns (same name) and pending
 * invitations (same email) are skipped, and content is skipped as a whole when the workspace already
 * has demo content (`metadata.demo = true`).
 *
 * Left alone on purpose: members (they would need sign-in accounts), API keys (secrets nobody should
 * inherit from a demo) and outbox messages (mail the app itself sent).
 */
export async function seedDemo(db: Db, p: { workspaceId: string; actor: Actor }): Promise<SeedDemoResult> {
  const { workspaceId, actor } = p;
  const now = Date.now();
  const rng = createRng(SEED);

  return db.transaction(async (tx) => {
    // Two seeds of one workspace at once would both see "no demo content yet".
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`organic:demo-seed:${workspaceId}`}))`);

    const [ws] = await tx
      .select({ id: workspaces.id, ownerId: workspaces.ownerId })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!ws) throw new NotFoundError("Workspace not found");
    const author = actor.userId ?? ws.ownerId;

    // Leads. Generated in full even when skipped, so the random sequence (and so every later value)
    // is the same on every run.
    const leadRows = buildLeads(rng, workspaceId, now);
    const insertedLeads = await tx
      .insert(leads)
      .values(leadRows)
      .onConflictDoNothing({ target: [leads.workspaceId, leads.email] })
      .returning({ id: leads.id });

    // Content and its metrics.
    const slugs = CONTENT.flatMap((t) => (t.slug ? [t.slug] : []));
    const takenSlugs = new Set(
      (
        await tx
          .select({ slug: content.slug })
          .from(content)
          .where(and(eq(content.workspaceId, workspaceId), inArray(content.slug, slugs)))
      ).map((r) => r.slug!),
    );
    const contentRows = buildContent(rng, { workspaceId, createdBy: author, now, takenSlugs });
    const metricRows = contentRows.map((c) =>
      c.status === "published" ? contentMetricsFor(rng, c.type) : null,
    );
    const [existingDemo] = await tx
      .select({ id: content.id })
      .from(content)
      .where(and(eq(content.workspaceId, workspaceId), sql`${content.metadata} @> '{"demo": true}'::jsonb`))
      .limit(1);
    let insertedContent = 0;
    let insertedMetrics = 0;
    if (!existingDemo) {
      const rows = await tx.insert(content).values(contentRows).returning({ id: content.id });
      insertedContent = rows.length;
      // RETURNING follows the VALUES order for a single multi-row INSERT.
      const metrics = rows.flatMap((r, i) => {
        const m = metricRows[i];
        return m ? [{ contentId: r.id, ...m }] : [];
      });
      if (metrics.length) {
        insertedMetrics = (
          await tx.insert(contentMetrics).values(metrics).returning({ id: contentMetrics.id })
        ).length;
      }
    }
    const plannedMetrics = metricRows.filter(Boolean).length;

    // Campaigns, with numbers consistent with the seeded leads.
    const templates = campaignTemplates(now);
    const existingCampaigns = new Set(
      (
        await tx
          .select({ name: emailCampaigns.name })
          .from(emailCampaigns)
          .where(
            and(
              eq(emailCampaigns.workspaceId, workspaceId),
              inArray(
                emailCampaigns.name,
                templates.map((t) => t.name),
              ),
            ),
          )
      ).map((r) => r.name),
    );
    const campaignRows = templates
      .filter((t) => !existingCampaigns.has(t.name))
      .map((t) => {
        const audience = leadRows.filter((l) => matchesSegment(l, t.segmentCriteria)).length;
        const sent = Math.round(audience * t.reach[0]);
        const createdAt = new Date(now - rng.between(25, 60) * DAY);
        return {
          workspaceId,
          name: t.name,
          type: t.type,
          status: t.status,
          segmentCriteria: t.segmentCriteria,
          content: t.content,
          schedule: t.schedule,
          metrics: {
            sent,
            opened: Math.round(audience * t.reach[1]),
            clicked: Math.round(audience * t.reach[2]),
          },
          createdBy: author,
          createdAt,
          updatedAt: createdAt,
        } satisfies typeof emailCampaigns.$inferInsert;
      });
    const insertedCampaigns = campaignRows.length
      ? (await tx.insert(emailCampaigns).values(campaignRows).returning({ id: emailCampaigns.id })).length
      : 0;

    // Invitations: at most one pending per email and workspace, so a rerun skips them.
    const invitationRows = buildInvitations(workspaceId, author, now);
    const insertedInvitations = await tx
      .insert(workspaceInvitations)
      .values(invitationRows)
      .onConflictDoNothing()
      .returning({ id: workspaceInvitations.id });

    const tables: SeedDemoResult["tables"] = {
      leads: { inserted: insertedLeads.length, skipped: leadRows.length - insertedLeads.length },
      content: { inserted: insertedContent, skipped: contentRows.length - insertedContent },
      contentMetrics: { inserted: insertedMetrics, skipped: plannedMetrics - insertedMetrics },
      emailCampaigns: { inserted: insertedCampaigns, skipped: templates.length - insertedCampaigns },
      workspaceInvitations: {
        inserted: insertedInvitations.length,
        skipped: invitationRows.length - insertedInvitations.length,
      },
      activityLogs: { inserted: 1, skipped: 0 },
    };
    await record(
      tx,
      actor,
      workspaceId,
      "demo.seeded",
      { type: "workspace", id: workspaceId },
      {
        inserted: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.inserted])),
        skipped: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.skipped])),
      },
    );
    return { workspaceId, tables };
  });
}

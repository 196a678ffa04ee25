import type { ContentStatus, ContentType } from "@/server/db/schema";

export interface ContentTemplate {
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

export const CONTENT: ContentTemplate[] = [
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

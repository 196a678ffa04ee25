import type { CampaignStatus, CampaignType } from "@/server/db/schema";
import type { CampaignTrigger, StepInput } from "@/server/services/email/campaign-schemas";
import type { SegmentCriteria } from "@/server/services/segments/criteria-schemas";
import { DAY, STORE } from "./rng";

/** The demo's signup form: leads who joined through it have the source `form:<slug>`, as submitForm writes. */
export const DEMO_FORM = {
  slug: "newsletter",
  name: "Thornfall newsletter",
  source: "form:newsletter",
  tags: ["newsletter"],
} as const;

export interface CampaignTemplate {
  name: string;
  type: CampaignType;
  status: CampaignStatus;
  criteria: SegmentCriteria;
  steps: Required<StepInput>[];
  trigger: CampaignTrigger | null;
  /** Days before now it was created (and, for sequences and triggered campaigns, switched on). */
  createdDaysAgo: number;
  /** One-time campaigns that went out: the title of the demo email item it was sent for (sent when it was published). */
  sentFor?: string;
  /** Triggered campaigns that were paused: days before now (nobody is enrolled after that). */
  pausedDaysAgo?: number;
  /** Chance a recipient opens a step, and that someone who opened clicks. */
  engagement: [open: number, clickIfOpened: number];
}

const step = (subject: string, preheader: string, body: string, delayDays = 0): Required<StepInput> => ({
  subject,
  preheader,
  body,
  format: "markdown",
  blocks: null,
  delayMinutes: delayDays * 24 * 60,
});

const tag = (value: string, op: "has" | "has_not" = "has") => ({ field: "tag" as const, op, value });
const source = (value: string) => ({ field: "source" as const, op: "is" as const, value });

export function campaignTemplates(): CampaignTemplate[] {
  return [
    {
      name: "Ember Tide launch announcement",
      type: "one-time",
      status: "sent",
      criteria: { match: "all", conditions: [tag("newsletter")] },
      steps: [
        step(
          "Ember Tide is here 🔥",
          "120 new cards, two factions, one very hot drake",
          `Hi {{first_name}},\n\nThe expansion you helped shape ships today. Pre-orders go out first, and everyone else can order now at ${STORE}/ember-tide.\n\nSee you at the table,\nThe Fernwood team`,
        ),
      ],
      trigger: null,
      createdDaysAgo: 24,
      sentFor: "Ember Tide is here",
      engagement: [0.55, 0.3],
    },
    {
      name: "November newsletter",
      type: "one-time",
      status: "sent",
      criteria: { match: "all", conditions: [tag("newsletter")] },
      steps: [
        step(
          "Thornfall news: November",
          "Con recap, a nasty combo and a giveaway winner",
          `Hi {{first_name}},\n\nConvention recap, a new combo of the week and the winner of the signed-box giveaway: ${STORE}/blog/november\n\nThe Fernwood team`,
        ),
      ],
      trigger: null,
      createdDaysAgo: 14,
      sentFor: "November newsletter",
      engagement: [0.48, 0.22],
    },
    {
      name: "Holiday gift guide 2026",
      type: "one-time",
      status: "draft",
      criteria: { match: "all", conditions: [tag("newsletter"), tag("retailer", "has_not")] },
      steps: [
        step(
          "The Thornfall gift guide",
          "Something for every kind of player on your list",
          `Hi {{first_name}},\n\nStuck on gifts? Starter Duo for the curious, Ember Tide for the hooked, and the new playmat for the player who has everything: ${STORE}/gifts`,
        ),
      ],
      trigger: null,
      createdDaysAgo: 3,
      engagement: [0, 0],
    },
    {
      name: "Welcome series",
      type: "sequence",
      status: "active",
      criteria: {
        match: "any",
        conditions: [source(DEMO_FORM.source), source("tiktok"), source("blog")],
      },
      steps: [
        step(
          "Welcome to Thornfall 🌿",
          "Your free print-and-play deck is inside",
          `Hi {{first_name}},\n\nThanks for joining! Here's the print-and-play starter deck we promised: ${STORE}/print-and-play\n\nIn three days we'll send you our favourite beginner decklists.`,
        ),
        step(
          "Three decklists to start with",
          "Aggro, control and a sneaky combo",
          `Hi {{first_name}},\n\nHere are the three decks we hand to new players at every convention: ${STORE}/decklists`,
          3,
        ),
        step(
          "Ready for your first real game?",
          "10% off the Starter Duo, this week only",
          `Hi {{first_name}},\n\nYou've read the rules, you've seen the decks. The Starter Duo has everything two players need: ${STORE}/starter-duo`,
          7,
        ),
      ],
      trigger: null,
      createdDaysAgo: 60,
      engagement: [0.68, 0.3],
    },
    {
      name: "Post-purchase review request",
      type: "triggered",
      status: "paused",
      criteria: { match: "all", conditions: [tag("customer")] },
      steps: [
        step(
          "How are you finding Thornfall?",
          "Two minutes, one review, our eternal gratitude",
          `Hi {{first_name}},\n\nYou've had your cards for a little while now. Would you leave a short review? It helps a tiny studio more than you'd think: ${STORE}/review`,
        ),
      ],
      trigger: { event: "tag.added", tag: "customer" },
      createdDaysAgo: 45,
      pausedDaysAgo: 6,
      engagement: [0.5, 0.2],
    },
  ];
}

/** The links a step's body holds (what a reader can click). */
export function linksOf(body: string): string[] {
  return body.match(/https:\/\/[^\s)]+/g) ?? [];
}

export const daysAgo = (now: number, days: number) => new Date(now - days * DAY);

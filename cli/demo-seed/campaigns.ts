import type { CampaignStatus, CampaignType, leads } from "@/server/db/schema";
import { DAY, STORE } from "./rng";

export interface CampaignTemplate {
  name: string;
  type: CampaignType;
  status: CampaignStatus;
  segmentCriteria: Record<string, unknown>;
  content: { subject: string; preheader: string; body: string };
  schedule: Record<string, unknown> | null;
  /** Share of the matching leads that were sent to, opened, clicked. */
  reach: [sent: number, opened: number, clicked: number];
}

export function campaignTemplates(now: number): CampaignTemplate[] {
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

export function matchesSegment(lead: typeof leads.$inferInsert, criteria: Record<string, unknown>) {
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

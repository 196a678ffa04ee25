import "server-only";
import type { GenerateContentInput } from "../schemas";
import type { GeneratedContent } from "./answer";
import { oneLine, tiktokTag } from "./draft";
import { findCatalogueProduct, readWritingSettings, type WritingSettings } from "./writing-settings";

/** Offline writer: deterministic templates, used when no AI endpoint is configured. */

interface Point {
  heading: string;
  text: string;
}

const OFFLINE_PLAYBOOK: Record<
  GenerateContentInput["contentType"],
  { title: (p: string) => string; hook: (p: string) => string; tag: string; points: (p: string) => Point[] }
> = {
  demo: {
    title: (p) => `${p} in action`,
    hook: (p) => `Here is ${p} doing what it does best.`,
    tag: "productdemo",
    points: (p) => [
      { heading: "What it is", text: `A quick introduction to ${p} and the problem it solves.` },
      { heading: "Getting started", text: `How ${p} looks and feels the first time you use it.` },
      { heading: "The main feature", text: `The one thing ${p} does that makes people stop scrolling.` },
      { heading: "Everyday use", text: `${p} on a normal day, not in a studio.` },
      { heading: "The small details", text: "The finishing touches that are easy to miss." },
      { heading: "The result", text: `What you end up with after using ${p}.` },
    ],
  },
  tutorial: {
    title: (p) => `How to get the most out of ${p}`,
    hook: (p) => `Using ${p}? Here is how to get it right the first time.`,
    tag: "howto",
    points: (p) => [
      { heading: "Step 1: get set up", text: `Everything you need before you start with ${p}.` },
      { heading: "Step 2: the basics", text: "The first thing to do, and how to know it worked." },
      { heading: "Step 3: the key technique", text: `The part that makes the biggest difference with ${p}.` },
      { heading: "Step 4: avoid the common mistake", text: "What most people get wrong, and the easy fix." },
      { heading: "Step 5: make it a habit", text: "How to fit it into your routine so it sticks." },
      { heading: "Step 6: go further", text: `Ideas for when you are comfortable with ${p}.` },
    ],
  },
  review: {
    title: (p) => `${p}: an honest review`,
    hook: (p) => `We spent real time with ${p}. Here is the honest verdict.`,
    tag: "review",
    points: (p) => [
      { heading: "First impressions", text: `What stood out when we first tried ${p}.` },
      { heading: "What we like", text: "The strengths that made a real difference." },
      { heading: "What could be better", text: "Where it falls short, and whether that matters to you." },
      { heading: "Who it is for", text: `The kind of person who will get the most from ${p}.` },
      { heading: "Value for money", text: "What you get for the price." },
      { heading: "The verdict", text: `Would we recommend ${p}? In short, here is our answer.` },
    ],
  },
  comparison: {
    title: (p) => `${p} compared with the alternatives`,
    hook: (p) => `Choosing between ${p} and the alternatives? Here is how they stack up.`,
    tag: "comparison",
    points: (p) => [
      { heading: "What we compared", text: `${p} and the options people usually weigh it against.` },
      { heading: "Ease of use", text: "Which one is simpler to start with and to live with." },
      { heading: "Quality", text: "How they hold up where it counts." },
      { heading: "Price and value", text: "What each one costs and what you get for it." },
      { heading: "Where the alternatives win", text: "An honest look at when another option fits better." },
      { heading: "Our pick", text: `When ${p} is the right choice.` },
    ],
  },
  tips: {
    title: (p) => `Tips for getting more from ${p}`,
    hook: (p) => `A few small changes make ${p} even better.`,
    tag: "tips",
    points: (p) => [
      { heading: "Tip 1: start simple", text: `Use ${p} for one thing first and get that right.` },
      { heading: "Tip 2: make it visible", text: "Keep it where you will actually reach for it." },
      { heading: "Tip 3: pair it well", text: `What works well alongside ${p}.` },
      { heading: "Tip 4: look after it", text: "A little care keeps it working like new." },
      { heading: "Tip 5: share it", text: "Show someone else how you use it; you will learn something too." },
      {
        heading: "Tip 6: revisit the basics",
        text: "Every so often, check you are still using it the best way.",
      },
    ],
  },
  story: {
    title: (p) => `The story behind ${p}`,
    hook: (p) => `Every product starts with a problem. This is the one behind ${p}.`,
    tag: "brandstory",
    points: (p) => [
      { heading: "The problem", text: "What was missing, and who felt it most." },
      { heading: "The idea", text: `The moment ${p} started to take shape.` },
      { heading: "The first version", text: "What it looked like at the start, rough edges and all." },
      { heading: "What changed", text: "What people told us, and what we did about it." },
      { heading: "Where it is today", text: `${p} now, and the people who use it.` },
      { heading: "What comes next", text: "Where the story goes from here." },
    ],
  },
};

const OFFLINE_TONE: Record<GenerateContentInput["tone"], { lead: string; cta: (p: string) => string }> = {
  casual: { lead: "Okay, real talk:", cta: (p) => `Give ${p} a try` },
  professional: { lead: "", cta: (p) => `Learn more about ${p}` },
  humorous: { lead: "Plot twist:", cta: (p) => `Go on, treat yourself to ${p}` },
  educational: { lead: "Here is what you need to know:", cta: (p) => `Read more about ${p}` },
};

const OFFLINE_POINTS: Record<GenerateContentInput["length"], number> = { short: 3, medium: 4, long: 6 };
const PLACEHOLDER = "[Add a specific detail or example here.]";

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const withStop = (s: string) => (/[.!?…]$/.test(s) ? s : `${s}.`);

/**
 * The offline template writer: no network, same answer for the same input. That a draft is a
 * template is said by the editor (metadata.generator), never in the text itself, which gets published. Uses the catalogue entry's description, price and link when known.
 */
export function offlineDraft(input: GenerateContentInput, settings: WritingSettings): GeneratedContent {
  const { products } = readWritingSettings(settings);
  const entry = findCatalogueProduct(products, input.product);
  const name = entry?.name ?? oneLine(input.product);
  const play = OFFLINE_PLAYBOOK[input.contentType];
  const tone = OFFLINE_TONE[input.tone];
  const hook = tone.lead ? `${tone.lead} ${lowerFirst(play.hook(name))}` : play.hook(name);
  const points = play.points(name).slice(0, OFFLINE_POINTS[input.length]);
  const callToAction = `${tone.cta(name)}${entry?.url ? `: ${entry.url}` : "."}`;
  const productTag = tiktokTag(name).toLowerCase();
  const about = entry?.description ? `${name}: ${withStop(oneLine(entry.description))}` : null;
  const price = entry?.price ? `Price: ${entry.price}.` : null;
  const title = play.title(name);

  if (input.platform === "tiktok" || input.platform === "instagram" || input.platform === "youtube") {
    return {
      title,
      hook,
      callToAction,
      hashtags: [productTag, play.tag],
      body: [hook, points.map((p) => `• ${p.heading}: ${p.text}`).join("\n"), callToAction]
        .filter(Boolean)
        .join("\n\n"),
    };
  }
  if (input.platform === "blog") {
    return {
      title,
      hook,
      callToAction,
      hashtags: [name.toLowerCase(), input.contentType],
      body: [
        [hook, about, price].filter(Boolean).join(" "),
        ...points.map((p) => `## ${p.heading}\n\n${p.text} ${PLACEHOLDER}`),
        `## ${input.tone === "professional" ? "Next steps" : "Ready to try it?"}\n\n${callToAction}`,
      ].join("\n\n"),
    };
  }
  return {
    title,
    hook,
    callToAction: tone.cta(name),
    hashtags: [],
    body: [
      "Hi there,",
      [hook, about, price].filter(Boolean).join(" "),
      points.map((p) => `- **${p.heading}**: ${p.text}`).join("\n"),
      PLACEHOLDER,
      callToAction,
      "Best wishes,\nThe team",
    ].join("\n\n"),
  };
}

import "server-only";
import {
  BODY_MAX,
  type CreateContentInput,
  createContentInput,
  type GenerateContentInput,
  INSTAGRAM_CAPTION_MAX,
  INSTAGRAM_HASHTAGS_MAX,
  TIKTOK_CAPTION_MAX,
  YOUTUBE_DESCRIPTION_MAX,
  YOUTUBE_TAGS_MAX_CHARS,
  YOUTUBE_TITLE_MAX,
} from "../schemas";
import type { GeneratedContent } from "./answer";
import {
  BLOG_EXCERPT_MAX,
  BLOG_TAG_MAX,
  BLOG_TAGS_MAX,
  EMAIL_PREHEADER_MAX,
  EMAIL_SUBJECT_MAX,
  SEO_DESCRIPTION_MAX,
  SEO_TITLE_MAX,
  TIKTOK_HASHTAGS_MAX,
  TITLE_MAX,
} from "./constants";

/** Post-processing: each platform's limits are enforced whatever the model did. */

/** At most `max` characters, cut at a word boundary (never inside a word or hashtag) with "…". */
export function truncateWords(text: string, max: number): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max); // the last character is replaced by the ellipsis
  const space = cut.search(/\s\S*$/);
  const kept = (space > 0 ? cut.slice(0, space) : cut.slice(0, max - 1)).trimEnd();
  return `${kept}…`;
}

export const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

export function tiktokTag(raw: string) {
  return raw
    .replace(/^#+/, "")
    .replace(/[^\p{L}\p{N}_]/gu, "")
    .slice(0, 50);
}

function topicTag(raw: string) {
  return oneLine(raw.replace(/^#+/, "")).slice(0, BLOG_TAG_MAX).trim();
}

function uniqueTags(tags: string[], clean: (t: string) => string, max: number) {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags.map(clean)) {
    const key = t.toLowerCase();
    if (!t || seen.has(key)) continue;
    seen.add(key);
    out.push(t);
    if (out.length === max) break;
  }
  return out;
}

/**
 * A TikTok caption: the text, then the hashtags it does not already contain, within 2,200
 * characters. When too long, keeps as many whole hashtags as fit in a quarter of the caption and
 * cuts the text at a word boundary, so no word or hashtag is ever split.
 */
export function composeCaption(
  text: string,
  hashtags: string[],
  max = TIKTOK_CAPTION_MAX,
  maxTags = TIKTOK_HASHTAGS_MAX,
): string {
  const body = text.trim();
  const present = new Set([...body.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!.toLowerCase()));
  const tags = uniqueTags(hashtags, tiktokTag, Math.max(0, maxTags - present.size))
    .filter((t) => !present.has(t.toLowerCase()))
    .map((t) => `#${t}`);
  const join = (b: string, line: string) => [b, line].filter(Boolean).join("\n\n");
  const full = join(body, tags.join(" "));
  if (full.length <= max) return full;
  const tagBudget = max - Math.min(body.length, Math.floor(max * 0.75)) - 2;
  const kept: string[] = [];
  for (const tag of tags) {
    if ([...kept, tag].join(" ").length > tagBudget) break;
    kept.push(tag);
  }
  const line = kept.join(" ");
  return join(truncateWords(body, max - (line ? line.length + 2 : 0)), line);
}

/** The model's (or the offline writer's) answer as a draft the content service accepts. */
export function toDraftInput(input: GenerateContentInput, generated: GeneratedContent): CreateContentInput {
  const hook = oneLine(generated.hook);
  const base = { mediaUrls: [] };
  switch (input.platform) {
    case "tiktok":
      return createContentInput.parse({
        ...base,
        type: "tiktok",
        title: truncateWords(oneLine(generated.title), TITLE_MAX),
        body: composeCaption(generated.body, generated.hashtags),
      });
    case "youtube": {
      const title = truncateWords(oneLine(generated.title).replace(/[<>]/g, ""), YOUTUBE_TITLE_MAX);
      const tags = uniqueTags(generated.hashtags, topicTag, 15);
      while (tags.join(",").length > YOUTUBE_TAGS_MAX_CHARS) tags.pop();
      return createContentInput.parse({
        ...base,
        type: "youtube",
        title: title || "Untitled Short",
        body: truncateWords(generated.body, YOUTUBE_DESCRIPTION_MAX),
        youtube: { tags },
      });
    }
    case "instagram":
      return createContentInput.parse({
        ...base,
        type: "instagram",
        title: truncateWords(oneLine(generated.title), TITLE_MAX),
        body: composeCaption(
          generated.body,
          generated.hashtags,
          INSTAGRAM_CAPTION_MAX,
          INSTAGRAM_HASHTAGS_MAX,
        ),
      });
    case "blog": {
      const title = truncateWords(oneLine(generated.title), TITLE_MAX);
      // The editor shows the title above the body: drop a leading "# Title" the model repeated.
      const body = generated.body.trim().replace(/^#\s+[^\n]*\n+/, "");
      return createContentInput.parse({
        ...base,
        type: "blog",
        title,
        body: truncateWords(body, BODY_MAX),
        blog: {
          excerpt: truncateWords(hook, BLOG_EXCERPT_MAX),
          tags: uniqueTags(generated.hashtags, topicTag, BLOG_TAGS_MAX),
          seoTitle: truncateWords(title, SEO_TITLE_MAX),
          seoDescription: truncateWords(hook, SEO_DESCRIPTION_MAX),
        },
      });
    }
    case "email": {
      const subject = truncateWords(oneLine(generated.title), EMAIL_SUBJECT_MAX);
      return createContentInput.parse({
        ...base,
        type: "email",
        title: subject,
        body: truncateWords(generated.body, BODY_MAX),
        email: { subject, preheader: truncateWords(hook, EMAIL_PREHEADER_MAX) },
      });
    }
  }
}

import "server-only";
import { renderMarkdown, toPlainText } from "@/lib/markdown";
import type { ShortVideoPlatform } from "./repurpose-schemas";

/*
 * The words of "Post everywhere": what the source says, and the offline template writer's
 * per-platform version of it. Whoever wrote them, repurpose.ts fits them to each platform's limits.
 */

/** What one platform's draft says: a title, the text, and hashtags (without the # sign). */
export interface PlatformWords {
  title: string;
  text: string;
  hashtags: string[];
}

const HASHTAG = /(^|\s)#([\p{L}\p{N}_]+)/gu;
/** A "#" that a platform would still count as a hashtag (`#🔥`, `#-x`) once the real ones are out. */
const STRAY_HASH = /(^|\s)#+(?=[^\s#])/gu;

/**
 * The hashtags out of the text, into a list of their own (after `more`, deduplicated), so each
 * platform's fitting decides how many go back and where — whatever the text held.
 */
export function splitHashtags(raw: string, more: string[] = []): { text: string; hashtags: string[] } {
  const inline = [...raw.matchAll(HASHTAG)].map((m) => m[2]!);
  const text = raw
    .replace(HASHTAG, "$1")
    .replace(STRAY_HASH, "$1")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const tags = [...more, ...inline]
    .map((t) => t.replace(/^#+/, "").replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return {
    text,
    hashtags: tags.filter((t) => {
      const key = t.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  };
}

/** A blog post's or email's Markdown as caption text: blocks become paragraphs, markup goes. */
function markdownToPlain(markdown: string) {
  const html = renderMarkdown(markdown).replace(/<\/(p|h[1-6]|li|blockquote|pre|ul|ol)>/g, "$&\n");
  return toPlainText(html)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

interface SourceLike {
  title: string;
  body: string | null;
  type: string;
  metadata: Record<string, unknown>;
}

/**
 * The source's words as plain text, and its hashtags (in the text, or a blog post's tags);
 * `asWritten` is the plain text with its hashtags where the author put them.
 */
export function sourceWords(source: SourceLike): PlatformWords & { asWritten: string } {
  const plain =
    source.type === "blog" || source.type === "email"
      ? markdownToPlain(source.body ?? "")
      : (source.body ?? "");
  const { text, hashtags } = splitHashtags(plain);
  const blogTags =
    source.type === "blog" ? ((source.metadata.blog as { tags?: string[] } | undefined)?.tags ?? []) : [];
  const tags = splitHashtags("", [...hashtags, ...blogTags.map((t) => t.replace(/\s+/g, ""))]).hashtags;
  return { title: source.title, text, hashtags: tags, asWritten: plain.trim() };
}

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/** Whole sentences from the start of `text`, as many as fit in `max` characters (at least one). */
function leadSentences(text: string, max: number) {
  let out = "";
  for (const { segment } of sentenceSegmenter.segment(text.replace(/\s*\n+\s*/g, " "))) {
    const next = `${out}${segment}`;
    if (out && next.trim().length > max) break;
    out = next;
  }
  return out.trim();
}

/** Whole paragraphs from the start of `text`, as many as fit in `max` characters (at least one). */
function leadParagraphs(text: string, max: number) {
  const kept: string[] = [];
  for (const p of text.split(/\n{2,}/)) {
    if (kept.length && [...kept, p].join("\n\n").length > max) break;
    kept.push(p.trim());
  }
  return kept.join("\n\n");
}

/**
 * The offline template writer for Post everywhere: no network, the same words for the same source.
 * It shapes the source's own words per platform — a short lead for TikTok, a lead paragraph and
 * three hashtags for a YouTube description, the whole text for an Instagram caption — and never
 * adds a notice to them: that a template wrote them is said by the draft's metadata and the UI.
 */
export function offlinePlatformWords(platform: ShortVideoPlatform, source: PlatformWords): PlatformWords {
  const text = source.text.trim() || source.title.trim();
  switch (platform) {
    case "tiktok":
      return { title: source.title, text: leadSentences(text, 200), hashtags: source.hashtags };
    case "youtube": {
      const top = source.hashtags.slice(0, 3).map((t) => `#${t.replace(/[^\p{L}\p{N}_]/gu, "")}`);
      const line = top.filter((t) => t.length > 1).join(" ");
      // The description ends with three hashtags (YouTube shows them above the title); all of
      // them are the video's tags too.
      return {
        title: source.title,
        text: [leadParagraphs(text, 1000), line].filter(Boolean).join("\n\n"),
        hashtags: source.hashtags,
      };
    }
    case "instagram": {
      const [lead = "", ...rest] = text.split(/\n{2,}/);
      const first = lead.replace(/\s*\n+\s*/g, " ").trim();
      // The opening sentence on a line of its own: all the feed shows before "more".
      const hook = leadSentences(first, 1);
      const after = [first.slice(hook.length).trim(), ...rest].filter(Boolean).join("\n\n");
      return {
        title: source.title,
        text: [hook, after].filter(Boolean).join("\n\n"),
        hashtags: source.hashtags,
      };
    }
  }
}

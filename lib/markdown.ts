import { Lexer, marked, type Token, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

const SAFE_SCHEMES = ["http", "https", "mailto", "tel"];

const HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    "img",
    "figure",
    "figcaption",
    "picture",
    "source",
    "video",
    "del",
    "ins",
    "sup",
    "sub",
    "details",
    "summary",
  ],
  allowedAttributes: {
    a: ["href", "title", "name", "target", "rel"],
    img: ["src", "alt", "title", "width", "height", "loading"],
    video: ["src", "poster", "controls", "width", "height"],
    source: ["src", "type", "srcset", "media"],
    th: ["align", "colspan", "rowspan"],
    td: ["align", "colspan", "rowspan"],
    code: ["class"],
    ol: ["start"],
  },
  allowedSchemes: SAFE_SCHEMES,
  allowedSchemesAppliedToAttributes: ["href", "src", "poster", "srcset"],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: attribs.target === "_blank" ? { ...attribs, rel: "noopener noreferrer" } : attribs,
    }),
  },
};

const ALLOWED_TAGS = new Set(HTML_OPTIONS.allowedTags as string[]);

/** Sanitizes an HTML fragment: no script/style, no event handlers, no javascript: or data: URLs. */
export function sanitizeHtmlFragment(html: string): string {
  return sanitizeHtml(html, HTML_OPTIONS);
}

/** The fragment re-serialized by the same parser with nothing removed. */
function normalizeHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    allowedSchemes: [],
    allowedSchemesAppliedToAttributes: [],
  } as sanitizeHtml.IOptions);
}

function isSafeUrl(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  const trimmed = url.trim().replace(/[\u0000-\u001f\u007f\s]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  return !scheme || SAFE_SCHEMES.includes(scheme);
}

function collect(tokens: Token[] | undefined, out: { raw: string; replacement: string }[]) {
  for (const t of tokens ?? []) {
    if (t.type === "html") {
      // Replace only when sanitizing removes something, not when it merely reformats the tag.
      const clean = sanitizeHtmlFragment(t.raw);
      // A lone closing tag normalizes to nothing either way: drop it unless the tag is allowed.
      const closing = /^<\/\s*([a-z][a-z0-9-]*)\s*>\s*$/i.exec(t.raw)?.[1]?.toLowerCase();
      const strayClosing = closing !== undefined && !ALLOWED_TAGS.has(closing);
      if (clean !== normalizeHtml(t.raw) || strayClosing) {
        out.push({ raw: t.raw, replacement: clean });
      }
      continue;
    }
    if ((t.type === "link" || t.type === "image") && !isSafeUrl((t as Tokens.Link).href)) {
      out.push({ raw: t.raw, replacement: (t as Tokens.Link).text });
      continue;
    }
    if ("tokens" in t && Array.isArray(t.tokens)) collect(t.tokens, out);
    if (t.type === "list") for (const item of (t as Tokens.List).items) collect(item.tokens, out);
    if (t.type === "table") {
      const table = t as Tokens.Table;
      for (const cell of table.header) collect(cell.tokens, out);
      for (const row of table.rows) for (const cell of row) collect(cell.tokens, out);
    }
  }
}

/**
 * Sanitizes Markdown source on write, keeping it Markdown: raw HTML inside it is cleaned (no script,
 * no event handlers) and links or images with unsafe URLs (javascript:, data:, vbscript:) are reduced
 * to their text. Code blocks are left alone: they render escaped.
 */
export function sanitizeMarkdown(source: string): string {
  const edits: { raw: string; replacement: string }[] = [];
  collect(Lexer.lex(source, { gfm: true }), edits);
  let out = "";
  let cursor = 0;
  for (const e of edits) {
    const at = source.indexOf(e.raw, cursor);
    if (at === -1) continue;
    out += source.slice(cursor, at) + e.replacement;
    cursor = at + e.raw.length;
  }
  out += source.slice(cursor);
  // A second pass catches constructs that only appear once the first edits joined text together.
  return edits.length ? sanitizeMarkdownOnce(out) : out;
}

function sanitizeMarkdownOnce(source: string): string {
  const edits: { raw: string; replacement: string }[] = [];
  collect(Lexer.lex(source, { gfm: true }), edits);
  if (edits.length === 0) return source;
  // Still unsafe after two passes: fall back to escaping every angle bracket.
  return source.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Markdown → sanitized HTML, for the public blog, previews and email bodies. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false }) as string;
  return sanitizeHtmlFragment(html);
}

/** Plain text with all markup removed (TikTok captions, excerpts, plain-text email parts). */
export function toPlainText(source: string): string {
  return sanitizeHtml(source, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

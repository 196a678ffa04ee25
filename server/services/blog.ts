import "server-only";
import { and, count, desc, eq, exists, isNotNull, lte, ne, type SQL, sql } from "drizzle-orm";
import sanitizeHtml from "sanitize-html";
import { renderMarkdown } from "@/lib/markdown";
import { isStorableText } from "@/lib/request-guard";
import type { Db } from "@/server/db";
import { content, users, workspaces } from "@/server/db/schema";

/**
 * The public blog: read-only queries for anonymous visitors. Everything here is scoped by workspace
 * and shows only what a visitor may see — published blog posts whose publish time has passed.
 */

export interface PublicBlog {
  id: string;
  slug: string;
  name: string;
  logoUrl: string | null;
  timeZone: string;
}

export interface BlogPostSummary {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  coverImageUrl: string | null;
  tags: string[];
  publishedAt: Date;
  updatedAt: Date;
  authorName: string | null;
  readingMinutes: number;
}

export interface BlogPost extends BlogPostSummary {
  /** Sanitized Markdown, as stored. */
  body: string;
  /** The excerpt the author wrote (null when `excerpt` is derived from the body). */
  lede: string | null;
  seoTitle: string | null;
  seoDescription: string | null;
}

export const EXCERPT_LENGTH = 200;
const WORDS_PER_MINUTE = 225;
/** Enough of the body to find a first paragraph for the excerpt without loading whole posts. */
const EXCERPT_SOURCE_CHARS = 4000;

export async function getPublicBlog(db: Db, workspaceSlug: string): Promise<PublicBlog | null> {
  // A slug from the URL with a NUL or a lone surrogate names no blog (and would fail the query).
  if (!isStorableText(workspaceSlug)) return null;
  const [ws] = await db
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      logoUrl: workspaces.logoUrl,
      timeZone: workspaces.timeZone,
    })
    .from(workspaces)
    .where(eq(workspaces.slug, workspaceSlug.toLowerCase()));
  if (!ws) return null;
  return { ...ws, logoUrl: safeImageUrl(ws.logoUrl) };
}

/** What a visitor may see: published blog posts of this workspace whose publish time has come. */
function visible(workspaceId: string | typeof workspaces.id): SQL {
  return and(
    eq(content.workspaceId, workspaceId),
    eq(content.type, "blog"),
    eq(content.status, "published"),
    isNotNull(content.slug),
    isNotNull(content.publishedAt),
    lte(content.publishedAt, sql`now()`),
  )!;
}

const wordCount = sql<number>`coalesce(array_length(regexp_split_to_array(btrim(coalesce(${content.body}, '')), '\\s+'), 1), 0)`;

const summaryColumns = {
  id: content.id,
  slug: content.slug,
  title: content.title,
  metadata: content.metadata,
  publishedAt: content.publishedAt,
  updatedAt: content.updatedAt,
  authorName: users.name,
  words: wordCount,
};

type SummaryRow = {
  id: string;
  slug: string | null;
  title: string;
  metadata: Record<string, unknown>;
  publishedAt: Date | null;
  updatedAt: Date;
  authorName: string | null;
  words: number;
};

function toSummary(row: SummaryRow, bodyForExcerpt: string | null): BlogPostSummary {
  const blog = blogFields(row.metadata);
  return {
    id: row.id,
    slug: row.slug!,
    title: row.title,
    excerpt: blog.excerpt || excerptFromMarkdown(bodyForExcerpt ?? ""),
    coverImageUrl: blog.coverImageUrl,
    tags: blog.tags,
    publishedAt: row.publishedAt!,
    updatedAt: row.updatedAt,
    authorName: row.authorName?.trim() || null,
    readingMinutes: Math.max(1, Math.round(Number(row.words) / WORDS_PER_MINUTE)),
  };
}

function toPost(row: SummaryRow & { body: string | null }): BlogPost {
  const blog = blogFields(row.metadata);
  return {
    ...toSummary(row, row.body),
    body: row.body ?? "",
    lede: blog.excerpt || null,
    seoTitle: blog.seoTitle,
    seoDescription: blog.seoDescription,
  };
}

/** One page of published posts, newest first, optionally only those tagged `tag`. */
export async function listPublishedPosts(
  db: Db,
  workspaceId: string,
  p: { limit: number; offset: number; tag?: string | null; excludeId?: string },
): Promise<{ posts: BlogPostSummary[]; total: number }> {
  // A tag from the URL with a NUL or a lone surrogate is on no post (and would fail the query).
  if (p.tag && !isStorableText(p.tag)) return { posts: [], total: 0 };
  const filters = [visible(workspaceId)];
  if (p.tag) filters.push(sql`${content.metadata} -> 'blog' -> 'tags' @> ${JSON.stringify([p.tag])}::jsonb`);
  if (p.excludeId) filters.push(ne(content.id, p.excludeId));
  const where = and(...filters);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({
        ...summaryColumns,
        bodyStart: sql<string | null>`left(${content.body}, ${EXCERPT_SOURCE_CHARS})`,
      })
      .from(content)
      .leftJoin(users, eq(users.id, content.createdBy))
      .where(where)
      .orderBy(desc(content.publishedAt), desc(content.id))
      .limit(p.limit)
      .offset(p.offset),
    db.select({ n: count() }).from(content).where(where),
  ]);
  return { posts: rows.map((r) => toSummary(r, r.bodyStart)), total: Number(totalRow?.n ?? 0) };
}

/** A published post by slug, or null when it is missing, unpublished, scheduled for later or not a blog post. */
export async function getPublishedPost(db: Db, workspaceId: string, slug: string): Promise<BlogPost | null> {
  if (!isStorableText(slug)) return null;
  const [row] = await db
    .select({ ...summaryColumns, body: content.body })
    .from(content)
    .leftJoin(users, eq(users.id, content.createdBy))
    .where(and(visible(workspaceId), eq(content.slug, slug)));
  return row ? toPost(row) : null;
}

/** The newest published posts with their bodies, for the RSS feed. */
export async function listAllPublishedForFeed(
  db: Db,
  workspaceId: string,
  limit: number,
): Promise<BlogPost[]> {
  const rows = await db
    .select({ ...summaryColumns, body: content.body })
    .from(content)
    .leftJoin(users, eq(users.id, content.createdBy))
    .where(visible(workspaceId))
    .orderBy(desc(content.publishedAt), desc(content.id))
    .limit(limit);
  return rows.map(toPost);
}

/** Slugs and modification times of every published post, for the sitemap. */
/**
 * The blogs with at least one visible post, for robots.txt's sitemap lines (a public index, so it
 * reads across workspaces — only what their public blogs already show: the workspace slug).
 */
export async function listPublicBlogSlugs(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .select({ slug: workspaces.slug })
    .from(workspaces)
    .where(exists(db.select({ one: sql`1` }).from(content).where(visible(workspaces.id))))
    .orderBy(workspaces.slug)
    .limit(limit);
  return rows.map((r) => r.slug);
}

export async function listPublishedSlugs(
  db: Db,
  workspaceId: string,
  limit: number,
): Promise<{ slug: string; lastModified: Date }[]> {
  const rows = await db
    .select({ slug: content.slug, publishedAt: content.publishedAt, updatedAt: content.updatedAt })
    .from(content)
    .where(visible(workspaceId))
    .orderBy(desc(content.publishedAt), desc(content.id))
    .limit(limit);
  return rows.map((r) => ({
    slug: r.slug!,
    lastModified: new Date(Math.max(r.updatedAt.getTime(), r.publishedAt!.getTime())),
  }));
}

// ---- helpers ----

interface BlogFields {
  excerpt: string;
  coverImageUrl: string | null;
  tags: string[];
  seoTitle: string | null;
  seoDescription: string | null;
}

const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** The blog section of a content row's metadata, defensively typed: it is JSON written over time. */
function blogFields(metadata: Record<string, unknown>): BlogFields {
  const raw = (metadata?.blog ?? {}) as Record<string, unknown>;
  const tags = Array.isArray(raw.tags)
    ? [...new Set(raw.tags.map(str).filter((t) => t.length > 0))].slice(0, 20)
    : [];
  return {
    excerpt: str(raw.excerpt),
    coverImageUrl: safeImageUrl(str(raw.coverImageUrl)),
    tags,
    seoTitle: str(raw.seoTitle) || null,
    seoDescription: str(raw.seoDescription) || null,
  };
}

/** Only http(s) URLs and files from the media library reach an `<img src>` or `og:image`. */
export function safeImageUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  if (/^https?:\/\/[^\s"<>]+$/i.test(url)) return url;
  if (/^\/api\/media\/[^\s"<>]+$/.test(url)) return url;
  return null;
}

/**
 * A short plain-text teaser from the post's Markdown: headings, code and images are skipped, the text is
 * cut at a word boundary near `max` characters.
 */
export function excerptFromMarkdown(markdown: string, max = EXCERPT_LENGTH): string {
  if (!markdown.trim()) return "";
  const html = renderMarkdown(markdown);
  // Prefer running text; a post that is only headings or code still gets a teaser from those.
  const text = htmlToText(html, PROSE_ONLY) || htmlToText(html, []);
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const lastSpace = cut.lastIndexOf(" ");
  const head = (lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : text.slice(0, max)).replace(
    /[\s,.;:!?—–-]+$/,
    "",
  );
  return `${head}…`;
}

const PROSE_ONLY = ["h1", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption"];

function htmlToText(html: string, skip: string[]): string {
  return sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ["script", "style", "textarea", "option", ...skip],
  })
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

import { renderMarkdown } from "@/lib/markdown";
import type { Db } from "@/server/db";
import {
  getPublicBlog,
  listAllPublishedForFeed,
  listPublicBlogSlugs,
  listPublishedSlugs,
  type PublicBlog,
} from "./blog";

/** RSS 2.0 and sitemap XML for a workspace's public blog. Framework-free: the route handlers wrap these. */

export const FEED_ITEM_LIMIT = 50;
/** Sitemap lines in robots.txt at most (one per public blog). */
export const ROBOTS_SITEMAP_LIMIT = 1000;
/** The sitemap protocol allows 50,000 URLs per file; one is the index page. */
export const SITEMAP_POST_LIMIT = 49_999;

export const blogPath = (workspaceSlug: string) => `/blog/${workspaceSlug}`;
export const postPath = (workspaceSlug: string, postSlug: string) => `/blog/${workspaceSlug}/${postSlug}`;
export const rssPath = (workspaceSlug: string) => `/blog/${workspaceSlug}/rss.xml`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point — XML 1.0 forbids them
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text for an XML element or attribute: invalid characters dropped, markup characters escaped. */
export function escapeXml(value: string): string {
  return value
    .replace(XML_INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A CDATA section that survives a `]]>` inside the text by splitting it across two sections. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replace(XML_INVALID, "").replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

/** Root-relative URLs (e.g. media library files) made absolute, for feed readers and social cards. */
export function absoluteUrl(url: string, baseUrl: string): string {
  return url.startsWith("/") && !url.startsWith("//") ? `${baseUrl}${url}` : url;
}

function absolutizeHtml(html: string, baseUrl: string): string {
  return html.replace(/(\s(?:href|src|poster)=")(\/(?!\/))/g, `$1${baseUrl}/`);
}

export function blogDescription(blog: PublicBlog): string {
  return `Stories, guides and updates from ${blog.name}.`;
}

/** The RSS 2.0 document for a workspace's blog, or null when the workspace does not exist. */
export async function renderRss(p: {
  db: Db;
  workspaceSlug: string;
  baseUrl: string;
}): Promise<string | null> {
  const blog = await getPublicBlog(p.db, p.workspaceSlug);
  if (!blog) return null;
  const posts = await listAllPublishedForFeed(p.db, blog.id, FEED_ITEM_LIMIT);
  const base = p.baseUrl.replace(/\/$/, "");
  const home = base + blogPath(blog.slug);
  const lastBuild = posts[0]?.publishedAt ?? new Date();

  const items = posts.map((post) => {
    const link = base + postPath(blog.slug, post.slug);
    const lines = [
      "    <item>",
      `      <title>${escapeXml(post.title)}</title>`,
      `      <link>${escapeXml(link)}</link>`,
      `      <guid isPermaLink="true">${escapeXml(link)}</guid>`,
      `      <pubDate>${post.publishedAt.toUTCString()}</pubDate>`,
    ];
    if (post.authorName) lines.push(`      <dc:creator>${escapeXml(post.authorName)}</dc:creator>`);
    for (const tag of post.tags) lines.push(`      <category>${escapeXml(tag)}</category>`);
    if (post.excerpt) lines.push(`      <description>${escapeXml(post.excerpt)}</description>`);
    let html = absolutizeHtml(renderMarkdown(post.body), base);
    if (post.coverImageUrl) {
      const cover = absoluteUrl(post.coverImageUrl, base);
      html = `<p><img src="${escapeXml(cover)}" alt="" /></p>\n${html}`;
    }
    lines.push(`      <content:encoded>${cdata(html)}</content:encoded>`, "    </item>");
    return lines.join("\n");
  });

  const channel = [
    `    <title>${escapeXml(blog.name)}</title>`,
    `    <link>${escapeXml(home)}</link>`,
    `    <description>${escapeXml(blogDescription(blog))}</description>`,
    "    <language>en</language>",
    "    <generator>Organic</generator>",
    `    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${escapeXml(base + rssPath(blog.slug))}" rel="self" type="application/rss+xml" />`,
  ];
  if (blog.logoUrl) {
    channel.push(
      "    <image>",
      `      <url>${escapeXml(absoluteUrl(blog.logoUrl, base))}</url>`,
      `      <title>${escapeXml(blog.name)}</title>`,
      `      <link>${escapeXml(home)}</link>`,
      "    </image>",
    );
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    "  <channel>",
    ...channel,
    ...items,
    "  </channel>",
    "</rss>",
    "",
  ].join("\n");
}

/** The sitemap (index page + every published post), or null when the workspace does not exist. */
export async function renderSitemap(p: {
  db: Db;
  workspaceSlug: string;
  baseUrl: string;
}): Promise<string | null> {
  const blog = await getPublicBlog(p.db, p.workspaceSlug);
  if (!blog) return null;
  const posts = await listPublishedSlugs(p.db, blog.id, SITEMAP_POST_LIMIT);
  const base = p.baseUrl.replace(/\/$/, "");
  const url = (loc: string, lastModified?: Date) =>
    [
      "  <url>",
      `    <loc>${escapeXml(loc)}</loc>`,
      ...(lastModified ? [`    <lastmod>${lastModified.toISOString()}</lastmod>`] : []),
      "  </url>",
    ].join("\n");
  const newest = posts.reduce<Date | undefined>(
    (max, post) => (!max || post.lastModified > max ? post.lastModified : max),
    undefined,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url(base + blogPath(blog.slug), newest),
    ...posts.map((post) => url(base + postPath(blog.slug, post.slug), post.lastModified)),
    "</urlset>",
    "",
  ].join("\n");
}

/**
 * robots.txt: crawlers may read the public blogs (and are pointed to each blog's sitemap), never the
 * dashboard or the API. With the blog switched off, nothing is crawlable.
 */
export async function renderRobots(p: { db: Db; baseUrl: string; blogOn: boolean }): Promise<string> {
  if (!p.blogOn) return "User-agent: *\nDisallow: /\n";
  const base = p.baseUrl.replace(/\/$/, "");
  const slugs = await listPublicBlogSlugs(p.db, ROBOTS_SITEMAP_LIMIT);
  return [
    "User-agent: *",
    "Allow: /blog/",
    "Disallow: /",
    "",
    ...slugs.map((slug) => `Sitemap: ${base}${blogPath(slug)}/sitemap.xml`),
    "",
  ].join("\n");
}

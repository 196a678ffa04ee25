import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { logger } from "@/lib/logger";
import { renderMarkdown } from "@/lib/markdown";
import type { Db } from "@/server/db";
import { type ContentStatus, type ContentType, content } from "@/server/db/schema";
import {
  excerptFromMarkdown,
  getPublicBlog,
  getPublishedPost,
  listAllPublishedForFeed,
  listPublishedPosts,
  listPublishedSlugs,
} from "@/server/services/blog";
import { cdata, escapeXml, renderRss, renderSitemap } from "@/server/services/blog-feed";
import { createContent } from "@/server/services/content/content";
import { publishContent } from "@/server/services/content/publish";
import { setupTestDb } from "../helpers/db";
import { createUser, createWorkspace, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
const BASE = "https://blog.example.test";
const DAY = 86_400_000;

let seq = 0;

async function insertPost(
  db: Db,
  workspaceId: string,
  p: {
    title?: string;
    slug?: string | null;
    body?: string;
    type?: ContentType;
    status?: ContentStatus;
    publishedAt?: Date | null;
    scheduledAt?: Date | null;
    blog?: Record<string, unknown>;
    createdBy?: string | null;
  } = {},
) {
  seq += 1;
  const type = p.type ?? "blog";
  const status = p.status ?? "published";
  const [row] = await db
    .insert(content)
    .values({
      workspaceId,
      type,
      status,
      title: p.title ?? `Post ${seq}`,
      slug: p.slug === undefined ? (type === "blog" ? `post-${seq}` : null) : p.slug,
      body: p.body ?? `Body of post ${seq}.`,
      metadata: p.blog ? { blog: p.blog } : {},
      publishedAt:
        p.publishedAt === undefined
          ? status === "published"
            ? new Date(Date.now() - seq * 1000)
            : null
          : p.publishedAt,
      scheduledAt: p.scheduledAt ?? (status === "scheduled" ? new Date(Date.now() + DAY) : null),
      createdBy: p.createdBy ?? null,
    })
    .returning();
  return row!;
}

/**
 * A deliberately small XML well-formedness check: declarations, comments and CDATA sections removed,
 * every remaining `<…>` must be a well-formed tag that nests properly, and every `&` an entity.
 */
function assertWellFormedXml(xml: string) {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const body = xml
    .replace(/^<\?xml[^?]*\?>/, "")
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  expect(body).not.toContain("]]>");
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(last, m.index);
    expect(text, `stray markup before <${m[2]}>`).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i);
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `unbalanced </${name}>`).toBe(name);
    else stack.push(name!);
  }
  expect(body.slice(last).trim()).toBe("");
  expect(stack).toEqual([]);
}

/** The text a feed reader gets from each CDATA-wrapped element, sections joined. */
function cdataTexts(xml: string, element: string): string[] {
  const re = new RegExp(`<${element}>((?:<!\\[CDATA\\[[\\s\\S]*?\\]\\]>)+)</${element}>`, "g");
  return [...xml.matchAll(re)].map((m) =>
    [...m[1]!.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((s) => s[1]).join(""),
  );
}

/** A workspace with one of everything a visitor must not see, and three visible posts. */
async function blogWithNoise() {
  const f = await twoWorkspaces(h.db);
  const author = await createUser(h.db, { name: "Ada Author" });
  const visible = [
    await insertPost(h.db, f.ws.id, {
      title: "Newest",
      publishedAt: new Date(Date.now() - 1 * DAY),
      createdBy: author.id,
      blog: { tags: ["News", "Launch"], excerpt: "Handwritten excerpt" },
    }),
    await insertPost(h.db, f.ws.id, {
      title: "Middle",
      publishedAt: new Date(Date.now() - 2 * DAY),
      blog: { tags: ["News"] },
    }),
    await insertPost(h.db, f.ws.id, { title: "Oldest", publishedAt: new Date(Date.now() - 3 * DAY) }),
  ];
  const hidden = [
    await insertPost(h.db, f.ws.id, { title: "Draft", status: "draft" }),
    await insertPost(h.db, f.ws.id, { title: "Scheduled", status: "scheduled" }),
    await insertPost(h.db, f.ws.id, { title: "Publishing", status: "publishing", scheduledAt: new Date() }),
    await insertPost(h.db, f.ws.id, { title: "Failed", status: "failed" }),
    await insertPost(h.db, f.ws.id, { title: "Future", publishedAt: new Date(Date.now() + DAY) }),
    await insertPost(h.db, f.ws.id, { title: "TikTok", type: "tiktok" }),
    await insertPost(h.db, f.ws.id, { title: "Email", type: "email" }),
    await insertPost(h.db, f.other.id, { title: "Other workspace", slug: "other-post" }),
  ];
  return { ...f, author, visible, hidden };
}

describe("public blog queries", () => {
  it("finds a workspace by slug and nothing for an unknown one", async () => {
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner, { name: "Fernwood" });
    expect(await getPublicBlog(h.db, ws.slug)).toMatchObject({
      id: ws.id,
      name: "Fernwood",
      timeZone: "UTC",
    });
    expect(await getPublicBlog(h.db, "no-such-workspace")).toBeNull();
  });

  it("lists only this workspace's published blog posts whose time has come, newest first", async () => {
    const f = await blogWithNoise();
    const { posts, total } = await listPublishedPosts(h.db, f.ws.id, { limit: 10, offset: 0 });
    expect(total).toBe(3);
    expect(posts.map((p) => p.title)).toEqual(["Newest", "Middle", "Oldest"]);
    expect(posts[0]).toMatchObject({
      authorName: "Ada Author",
      tags: ["News", "Launch"],
      excerpt: "Handwritten excerpt",
    });
    expect(posts[1]!.authorName).toBeNull();

    const feed = await listAllPublishedForFeed(h.db, f.ws.id, 50);
    expect(feed.map((p) => p.title)).toEqual(["Newest", "Middle", "Oldest"]);
    const slugs = await listPublishedSlugs(h.db, f.ws.id, 100);
    expect(slugs.map((s) => s.slug)).toEqual(f.visible.map((v) => v.slug));

    // The other workspace sees only its own post.
    const other = await listPublishedPosts(h.db, f.other.id, { limit: 10, offset: 0 });
    expect(other.posts.map((p) => p.title)).toEqual(["Other workspace"]);
  });

  it("pages, and filters by tag", async () => {
    const f = await blogWithNoise();
    const page2 = await listPublishedPosts(h.db, f.ws.id, { limit: 2, offset: 2 });
    expect(page2).toMatchObject({ total: 3 });
    expect(page2.posts.map((p) => p.title)).toEqual(["Oldest"]);
    const news = await listPublishedPosts(h.db, f.ws.id, { limit: 10, offset: 0, tag: "News" });
    expect(news.total).toBe(2);
    expect(news.posts.map((p) => p.title)).toEqual(["Newest", "Middle"]);
    const none = await listPublishedPosts(h.db, f.ws.id, { limit: 10, offset: 0, tag: "Nope" });
    expect(none).toEqual({ posts: [], total: 0 });
  });

  it("returns a post only while a visitor may see it", async () => {
    const f = await blogWithNoise();
    expect(await getPublishedPost(h.db, f.ws.id, f.visible[0]!.slug!)).toMatchObject({ title: "Newest" });
    for (const row of f.hidden) {
      if (row.slug) expect(await getPublishedPost(h.db, f.ws.id, row.slug)).toBeNull();
    }
    // Another workspace's slug is not found here, even though it is published there.
    expect(await getPublishedPost(h.db, f.ws.id, "other-post")).toBeNull();
    expect(await getPublishedPost(h.db, f.other.id, "other-post")).toMatchObject({
      title: "Other workspace",
    });
    // Unpublishing takes it down at once.
    await h.db.update(content).set({ status: "draft" }).where(eq(content.id, f.visible[0]!.id));
    expect(await getPublishedPost(h.db, f.ws.id, f.visible[0]!.slug!)).toBeNull();
  });

  it("derives an excerpt from the body's text when none was written", async () => {
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    const long = `# A heading\n\nFirst **bold** words & a [link](https://example.com). ${"More text here. ".repeat(30)}`;
    await insertPost(h.db, ws.id, { body: long });
    const [post] = (await listPublishedPosts(h.db, ws.id, { limit: 1, offset: 0 })).posts;
    expect(post!.excerpt.startsWith("First bold words & a link. More text")).toBe(true);
    expect(post!.excerpt.length).toBeLessThanOrEqual(201);
    expect(post!.excerpt.endsWith("…")).toBe(true);
    expect(post!.excerpt).not.toMatch(/[<>*#]/);
    expect(excerptFromMarkdown("Short and sweet.")).toBe("Short and sweet.");
    expect(excerptFromMarkdown("")).toBe("");
  });

  it("drops cover URLs a browser should not load", async () => {
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    await insertPost(h.db, ws.id, { slug: "bad-cover", blog: { coverImageUrl: "javascript:alert(1)" } });
    await insertPost(h.db, ws.id, { slug: "good-cover", blog: { coverImageUrl: "/api/media/abc.png" } });
    expect((await getPublishedPost(h.db, ws.id, "bad-cover"))!.coverImageUrl).toBeNull();
    expect((await getPublishedPost(h.db, ws.id, "good-cover"))!.coverImageUrl).toBe("/api/media/abc.png");
  });
});

describe("hostile Markdown", () => {
  const hostile = [
    "Intro",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(2)" onclick="alert(3)">x</a>',
    '<svg onload="alert(4)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    "Outro",
  ].join("\n\n");

  function expectHarmless(html: string) {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/<iframe|<svg/i);
  }

  it("renders without scripts or event handlers, even if stored unsanitized", async () => {
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    await insertPost(h.db, ws.id, {
      slug: "raw-hostile",
      title: "<script>alert('t')</script>",
      body: hostile,
    });
    const post = await getPublishedPost(h.db, ws.id, "raw-hostile");
    const html = renderMarkdown(post!.body);
    expectHarmless(html);
    expect(html).toContain("Intro");
    expect(html).toContain("Outro");

    const rss = (await renderRss({ db: h.db, workspaceSlug: ws.slug, baseUrl: BASE }))!;
    assertWellFormedXml(rss);
    expect(rss).toContain("<title>&lt;script&gt;alert(&apos;t&apos;)&lt;/script&gt;</title>");
    for (const encoded of cdataTexts(rss, "content:encoded")) expectHarmless(encoded);
  });

  it("is sanitized on write and published through the real publisher", async () => {
    const owner = await createUser(h.db, { name: "Pat Publisher" });
    const ws = await createWorkspace(h.db, owner);
    const ctx = { db: h.db, workspaceId: ws.id, actor: { userId: owner.id, ip: null, userAgent: "vitest" } };
    const draft = await createContent(ctx, {
      type: "blog",
      title: "Launch notes",
      body: hostile,
      mediaUrls: [],
      slug: "launch-notes",
      blog: { excerpt: "", coverImageUrl: null, tags: ["Launch"], seoTitle: "", seoDescription: "" },
    });
    expect(await getPublishedPost(h.db, ws.id, "launch-notes")).toBeNull();
    await h.db
      .update(content)
      .set({ status: "scheduled", scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(content.id, draft.id));
    const outcome = await publishContent(h.db, {
      contentId: draft.id,
      attempt: 1,
      maxAttempts: 3,
      log: logger,
    });
    expect(outcome).toMatchObject({ outcome: "published", result: { url: `/blog/${ws.slug}/launch-notes` } });

    const post = await getPublishedPost(h.db, ws.id, "launch-notes");
    expect(post).toMatchObject({ title: "Launch notes", authorName: "Pat Publisher", tags: ["Launch"] });
    expectHarmless(post!.body);
    expectHarmless(renderMarkdown(post!.body));
  });
});

describe("RSS feed", () => {
  it("has one item per visible post, with absolute links and RFC 822 dates", async () => {
    const f = await blogWithNoise();
    const rss = (await renderRss({ db: h.db, workspaceSlug: f.ws.slug, baseUrl: `${BASE}/` }))!;
    assertWellFormedXml(rss);
    expect(rss.match(/<item>/g)).toHaveLength(3);
    expect(rss).toContain(`<link>${BASE}/blog/${f.ws.slug}</link>`);
    expect(rss).toContain(`<atom:link href="${BASE}/blog/${f.ws.slug}/rss.xml" rel="self"`);
    for (const row of f.visible) {
      const link = `${BASE}/blog/${f.ws.slug}/${row.slug}`;
      expect(rss).toContain(`<link>${link}</link>`);
      expect(rss).toContain(`<guid isPermaLink="true">${link}</guid>`);
      expect(rss).toContain(`<pubDate>${row.publishedAt!.toUTCString()}</pubDate>`);
    }
    for (const pubDate of rss.match(/<pubDate>[^<]+<\/pubDate>/g)!) {
      expect(pubDate).toMatch(
        /^<pubDate>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT<\/pubDate>$/,
      );
    }
    for (const row of f.hidden) expect(rss).not.toContain(`<title>${row.title}</title>`);
    expect(rss).toContain("<dc:creator>Ada Author</dc:creator>");
    expect(rss).toContain("<category>Launch</category>");
  });

  it("escapes titles and keeps CDATA intact when the body contains ]]>", async () => {
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner, { name: "Cartoons & Co" });
    const body = "Look: ]]> and <![CDATA[ nested ]]> and `code ]]>`\n\n![pic](/api/media/cat.png)";
    await insertPost(h.db, ws.id, {
      title: "Tom & Jerry <3",
      body,
      blog: { excerpt: 'Fish > cheese & "milk"' },
    });
    const rss = (await renderRss({ db: h.db, workspaceSlug: ws.slug, baseUrl: BASE }))!;
    assertWellFormedXml(rss);
    expect(rss.match(/<item>/g)).toHaveLength(1);
    expect(rss).toContain("<title>Tom &amp; Jerry &lt;3</title>");
    expect(rss).toContain("<title>Cartoons &amp; Co</title>");
    expect(rss).toContain("<description>Fish &gt; cheese &amp; &quot;milk&quot;</description>");
    const [encoded] = cdataTexts(rss, "content:encoded");
    expect(encoded).toContain("Look: ]]&gt; and");
    expect(encoded).toContain(`src="${BASE}/api/media/cat.png"`);
  });

  it("splits a raw ]]> across CDATA sections and drops characters XML forbids", () => {
    const wrapped = cdata("a]]>b]]>c");
    expect(wrapped).toBe("<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>c]]>");
    expect([...wrapped.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((m) => m[1]).join("")).toBe("a]]>b]]>c");
    expect(escapeXml("a\u0001b & 'c'")).toBe("ab &amp; &apos;c&apos;");
  });

  it("is empty but valid for a blog with no posts, and null for an unknown workspace", async () => {
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    const rss = (await renderRss({ db: h.db, workspaceSlug: ws.slug, baseUrl: BASE }))!;
    assertWellFormedXml(rss);
    expect(rss).not.toContain("<item>");
    expect(await renderRss({ db: h.db, workspaceSlug: "no-such-blog", baseUrl: BASE })).toBeNull();
  });
});

describe("sitemap", () => {
  it("lists the index and every visible post with lastmod", async () => {
    const f = await blogWithNoise();
    const xml = (await renderSitemap({ db: h.db, workspaceSlug: f.ws.slug, baseUrl: BASE }))!;
    assertWellFormedXml(xml);
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual([
      `${BASE}/blog/${f.ws.slug}`,
      ...f.visible.map((row) => `${BASE}/blog/${f.ws.slug}/${row.slug}`),
    ]);
    const lastmods = [...xml.matchAll(/<lastmod>([^<]+)<\/lastmod>/g)].map((m) => m[1]!);
    expect(lastmods).toHaveLength(4);
    for (const lm of lastmods) expect(new Date(lm).toISOString()).toBe(lm);
    expect(xml).not.toContain("other-post");
    expect(await renderSitemap({ db: h.db, workspaceSlug: "no-such-blog", baseUrl: BASE })).toBeNull();
  });
});

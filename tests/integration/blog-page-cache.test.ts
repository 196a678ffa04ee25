import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { blogPageState, blogPageTarget } from "@/server/blog-page-cache";
import { content, users, workspaces } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 16 item 3: the public blog is served from a cache of its rendered pages, checked on every
 * visit against the blog's state (server/blog-page-cache.ts). A copy is only as good as that state:
 * each change a visitor can see must change it, and what a visitor cannot see must not.
 */
const h = await setupTestDb();
const f = await twoWorkspaces(h.db);
const day = 86_400_000;

async function post(values: Partial<typeof content.$inferInsert> & { slug: string }) {
  const [row] = await h.db
    .insert(content)
    .values({
      workspaceId: f.ws.id,
      type: "blog",
      status: "published",
      title: values.slug,
      body: "Hello",
      publishedAt: new Date(Date.now() - day),
      createdBy: f.owner.id,
      ...values,
    })
    .returning();
  return row!;
}

const state = async (slug: string | null = null) => blogPageState(h.db, f.ws.slug, slug);

async function changes(label: string, act: () => Promise<unknown>) {
  const before = (await state())!.state;
  await act();
  const after = (await state())!.state;
  expect(after, label).not.toBe(before);
}

async function stays(label: string, act: () => Promise<unknown>) {
  const before = (await state())!.state;
  await act();
  expect((await state())!.state, label).toBe(before);
}

describe("blog page cache: which paths", () => {
  it("takes the index and posts, not the feed, the sitemap or anything deeper", () => {
    expect(blogPageTarget("/blog/acme")).toEqual({ workspace: "acme", slug: null });
    expect(blogPageTarget("/blog/acme/")).toEqual({ workspace: "acme", slug: null });
    expect(blogPageTarget("/blog/acme/first-post")).toEqual({ workspace: "acme", slug: "first-post" });
    for (const p of [
      "/blog",
      "/blog/",
      "/blog/acme/rss.xml",
      "/blog/acme/sitemap.xml",
      "/blog/acme/a/b",
      "/blog/Acme",
      "/acme/blog",
    ])
      expect(blogPageTarget(p), p).toBeNull();
  });
});

describe("blog page cache: the state a copy is checked against", () => {
  it("names the workspace and a post a visitor may see; null for an unknown blog", async () => {
    const visible = await post({ slug: "visible" });
    await post({ slug: "later", publishedAt: new Date(Date.now() + day) });
    await post({ slug: "draft", status: "draft" });
    expect(await blogPageState(h.db, "no-such-blog", null)).toBeNull();
    const s = await state("visible");
    expect(s).toMatchObject({ workspaceId: f.ws.id, postId: visible.id });
    for (const hidden of ["later", "draft", "no-such-post"])
      expect((await state(hidden))!.postId, hidden).toBeNull();
    // Another workspace's post of the same slug is not this blog's.
    await h.db.insert(content).values({
      workspaceId: f.other.id,
      type: "blog",
      status: "published",
      title: "Theirs",
      slug: "theirs",
      publishedAt: new Date(Date.now() - day),
    });
    expect((await state("theirs"))!.postId).toBeNull();
    expect((await blogPageState(h.db, f.other.slug, "visible"))!.postId).toBeNull();
  });

  it("changes with every change a visitor can see", async () => {
    const a = await post({ slug: "state-a" });
    const b = await post({ slug: "state-b" });
    await changes("a new post is published", () => post({ slug: "state-c" }));
    await changes("a published post is edited", () =>
      h.db.update(content).set({ title: "Edited" }).where(eq(content.id, b.id)),
    );
    await changes("a post is unpublished", () =>
      h.db.update(content).set({ status: "draft" }).where(eq(content.id, a.id)),
    );
    await changes("a post is published again", () =>
      h.db.update(content).set({ status: "published" }).where(eq(content.id, a.id)),
    );
    await changes("a post is deleted", () => h.db.delete(content).where(eq(content.id, a.id)));
    await changes("the blog is renamed", () =>
      h.db.update(workspaces).set({ name: "Renamed blog" }).where(eq(workspaces.id, f.ws.id)),
    );
    await changes("an author renames themselves", () =>
      h.db.update(users).set({ name: "New Name" }).where(eq(users.id, f.owner.id)),
    );
    // A post scheduled a moment ahead becomes visible by the clock alone.
    await post({ slug: "soon", publishedAt: new Date(Date.now() + 1500) });
    const before = (await state())!.state;
    await new Promise((r) => setTimeout(r, 1600));
    expect((await state())!.state, "a post's publish time comes").not.toBe(before);
  });

  it("stays the same for what a visitor cannot see", async () => {
    const [draft] = await h.db
      .insert(content)
      .values({ workspaceId: f.ws.id, type: "blog", status: "draft", title: "Draft", slug: "quiet-draft" })
      .returning();
    await stays("a draft is edited", () =>
      h.db.update(content).set({ body: "more words" }).where(eq(content.id, draft!.id)),
    );
    await stays("a video is published", () =>
      h.db.insert(content).values({
        workspaceId: f.ws.id,
        type: "tiktok",
        status: "published",
        title: "Clip",
        publishedAt: new Date(),
      }),
    );
    await stays("another workspace publishes", () =>
      h.db.insert(content).values({
        workspaceId: f.other.id,
        type: "blog",
        status: "published",
        title: "Other",
        slug: "other-news",
        publishedAt: new Date(Date.now() - day),
      }),
    );
  });
});

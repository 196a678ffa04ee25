import { afterEach, describe, expect, it } from "vitest";
import { GET as robotsGET } from "@/app/robots.txt/route";
import { resetEnvCache } from "@/lib/env";
import { content } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 15 item 4: the public blogs and their sitemaps are visible to search engines; the dashboard
 * and the API are not. Through the real route handler, on the real database.
 */
const h = await setupTestDb();
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
appDb.organicDb = Promise.resolve(h);
const f = await twoWorkspaces(h.db);
await h.db.insert(content).values([
  // Workspace A has a live post; B only a draft and a post whose publish time is still to come.
  {
    workspaceId: f.ws.id,
    type: "blog",
    status: "published",
    title: "Live",
    slug: "live",
    body: "Hi",
    publishedAt: new Date(Date.now() - 60_000),
  },
  { workspaceId: f.other.id, type: "blog", status: "draft", title: "Draft", slug: "draft", body: "Hi" },
  {
    workspaceId: f.other.id,
    type: "blog",
    status: "published",
    title: "Later",
    slug: "later",
    body: "Hi",
    publishedAt: new Date(Date.now() + 3_600_000),
  },
]);

const robots = async () => {
  const res = await robotsGET(
    new Request("http://shop.example.test/robots.txt", { headers: { host: "shop.example.test" } }),
  );
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
};

afterEach(() => {
  delete process.env.ENABLE_BLOG_ENGINE;
  resetEnvCache();
});

describe("robots.txt", () => {
  it("lets crawlers read the public blogs, points to each live blog's sitemap, keeps the rest out", async () => {
    const text = await robots();
    const lines = text.split("\n");
    expect(lines.slice(0, 3)).toEqual(["User-agent: *", "Allow: /blog/", "Disallow: /"]);
    expect(lines).toContain(`Sitemap: http://shop.example.test/blog/${f.ws.slug}/sitemap.xml`);
    expect(text).not.toContain(f.other.slug);
  });

  it("with the blog switched off, nothing is crawlable", async () => {
    process.env.ENABLE_BLOG_ENGINE = "false";
    resetEnvCache();
    expect(await robots()).toBe("User-agent: *\nDisallow: /\n");
  });
});

import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import pg from "pg";
import { createFirstWorkspace, signUp, uniqueEmail } from "./helpers";

/*
 * The main pages of the app, for the checks that walk all of them (page weight, accessibility): a
 * fresh account with a workspace, and a published blog post written straight into the server's
 * database (PostgreSQL when E2E_DATABASE_URL is set, else the embedded one's socket in E2E_DATA_DIR).
 */
function databaseUrl(): string {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("this spec needs E2E_DATABASE_URL or E2E_DATA_DIR to seed the server's database");
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "pglite.lock.json"), "utf8")) as {
    socketDir: string;
  };
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(lock.socketDir)}`;
}

export const POST_SLUG = "a-plain-post";

async function publishBlogPost(slug: string) {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query(
      `insert into content (workspace_id, type, title, slug, body, status, published_at)
       select id, 'blog', 'A plain post', $2, $3, 'published', now() - interval '1 day'
       from workspaces where slug = $1`,
      [slug, POST_SLUG, "## Why\n\nStatic text needs no **JavaScript**.\n\n- one\n- two\n"],
    );
  } finally {
    await client.end();
  }
}

/** Signs a new user up (the page stays signed in), creates a workspace and publishes one post. */
export async function setUpWorkspace(page: Page, who: string): Promise<string> {
  await signUp(page, { name: "Page Walker", email: uniqueEmail(who), password: "correct horse battery" });
  const slug = await createFirstWorkspace(page, `Walk ${Date.now().toString(36).slice(-5)}`);
  await publishBlogPost(slug);
  return slug;
}

/** Pages anyone can open, signed out. */
export const publicPages = (slug: string) => [
  { name: "sign-in", path: "/sign-in" },
  { name: "sign-up", path: "/sign-up" },
  { name: "blog index", path: `/blog/${slug}` },
  { name: "blog post", path: `/blog/${slug}/${POST_SLUG}` },
];

/** The workspace's main pages, signed in. */
export const dashboardPages = (slug: string) => [
  { name: "Overview", path: `/${slug}` },
  { name: "Content", path: `/${slug}/content` },
  { name: "Calendar", path: `/${slug}/content/calendar` },
  { name: "Links", path: `/${slug}/content/links` },
  { name: "Leads", path: `/${slug}/leads` },
  { name: "Segments", path: `/${slug}/leads/segments` },
  { name: "Email", path: `/${slug}/email` },
  { name: "Email templates", path: `/${slug}/email/templates` },
  { name: "Suppression list", path: `/${slug}/email/suppressions` },
  { name: "Analytics", path: `/${slug}/analytics` },
  { name: "Integrations", path: `/${slug}/integrations` },
  { name: "Settings", path: `/${slug}/settings` },
  { name: "Settings · Profile", path: `/${slug}/settings/profile` },
  { name: "Settings · Members", path: `/${slug}/settings/members` },
  { name: "Settings · Security", path: `/${slug}/settings/security` },
  { name: "Settings · Sending", path: `/${slug}/settings/sending` },
  { name: "Settings · Delivery", path: `/${slug}/settings/delivery` },
  { name: "Settings · Forms", path: `/${slug}/settings/forms` },
  { name: "Settings · Attribution", path: `/${slug}/settings/attribution` },
  { name: "Settings · Brand", path: `/${slug}/settings/brand` },
  { name: "Settings · API keys", path: `/${slug}/settings/api-keys` },
  { name: "Settings · Webhooks", path: `/${slug}/settings/webhooks` },
  { name: "Settings · Activity", path: `/${slug}/settings/activity` },
];

/**
 * How many pages the page-weight walk opens at once (E2E_PAGE_CONCURRENCY; 1 walks them one by
 * one): it mostly waits (load, network idle, the prefetch window). axe's walk is busy, not waiting,
 * and goes one by one.
 */
export const PAGE_CONCURRENCY = Number(process.env.E2E_PAGE_CONCURRENCY ?? 3);

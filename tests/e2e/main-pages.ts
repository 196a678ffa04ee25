import { expect, type Page } from "@playwright/test";
import { signUpWithWorkspace, trpcPost, uniqueEmail } from "./helpers";

/*
 * The main pages of the app, for the checks that walk all of them (page weight, accessibility): a
 * fresh account with a workspace and one published blog post, made through the app's own HTTP API as
 * the signed-in user (no page drawn, nothing written past the app), so these specs share nothing with
 * any other and run beside them.
 */
export const POST_SLUG = "a-plain-post";

/** Writes a blog post and publishes it now; returns once its public page answers 200. */
async function publishBlogPost(page: Page, slug: string, workspaceId: string) {
  const post = await trpcPost<{ id: string }>(page, "content.create", {
    workspaceId,
    type: "blog",
    title: "A plain post",
    slug: POST_SLUG,
    body: "## Why\n\nStatic text needs no **JavaScript**.\n\n- one\n- two\n",
  });
  await trpcPost(page, "content.publishNow", { workspaceId, id: post.id });
  // The publish runs as a job (the embedded runner, or a worker): its page appears when it is done.
  await expect
    .poll(async () => (await page.request.get(`/blog/${slug}/${POST_SLUG}`)).status(), { timeout: 30_000 })
    .toBe(200);
}

/**
 * Signs a new user up (the page's context holds the session), creates a workspace and publishes one
 * post. Returns the workspace's slug; the page has not moved.
 */
export async function setUpWorkspace(page: Page, who: string): Promise<string> {
  const { slug, workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Page Walker", email: uniqueEmail(who), password: "correct horse battery" },
    `Walk ${Date.now().toString(36).slice(-5)}`,
  );
  await publishBlogPost(page, slug, workspaceId);
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

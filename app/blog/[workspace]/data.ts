import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/server/db";
import { getPublicBlog, getPublishedPost } from "@/server/services/blog";
import { requestBaseUrl } from "@/server/session";

/**
 * Loaders shared by the blog's layout, pages and generateMetadata, each run once per request (React
 * cache). An unknown workspace or a post a visitor may not see is a 404.
 */
export const loadBlog = cache(async (workspaceSlug: string) => {
  const db = await getDb();
  const blog = await getPublicBlog(db, workspaceSlug);
  if (!blog) notFound();
  return { db, blog };
});

export const loadPost = cache(async (workspaceSlug: string, postSlug: string) => {
  const { db, blog } = await loadBlog(workspaceSlug);
  const post = await getPublishedPost(db, blog.id, postSlug);
  if (!post) notFound();
  return { db, blog, post };
});

/** Absolute origin for canonical and Open Graph URLs: APP_URL, else the request's host. */
export const loadBaseUrl = cache(async () => requestBaseUrl(await headers()));

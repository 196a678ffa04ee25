import type { Metadata } from "next";
import { headers } from "next/headers";
import { formatPostDate } from "@/components/blog/format";
import { PostCard, PostCover, TagLinks } from "@/components/blog/post-card";
import styles from "@/components/blog/prose.module.css";
import { ArrowLeftIcon } from "@/components/ui/static-icons";
import { renderMarkdown } from "@/lib/markdown";
import { initials } from "@/lib/utils";
import { listPublishedPosts } from "@/server/services/blog";
import { absoluteUrl, blogPath, postPath, rssPath } from "@/server/services/blog-feed";
import { countBlogView, isCountableView } from "@/server/services/blog-views";
import { loadBaseUrl, loadPost } from "../data";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ workspace: string; slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { workspace, slug } = await params;
  const { blog, post } = await loadPost(workspace, slug);
  const base = await loadBaseUrl();
  const url = base + postPath(blog.slug, post.slug);
  const title = post.seoTitle ?? post.title;
  const description = post.seoDescription ?? post.excerpt;
  const image = post.coverImageUrl ? absoluteUrl(post.coverImageUrl, base) : undefined;
  return {
    // An SEO title is written to stand alone; the post title gets the blog's name appended.
    title: post.seoTitle ? { absolute: post.seoTitle } : post.title,
    description,
    authors: post.authorName ? [{ name: post.authorName }] : undefined,
    alternates: {
      canonical: url,
      types: { "application/rss+xml": [{ url: base + rssPath(blog.slug), title: blog.name }] },
    },
    openGraph: {
      type: "article",
      siteName: blog.name,
      title,
      description,
      url,
      images: image ? [{ url: image, alt: post.title }] : undefined,
      publishedTime: post.publishedAt.toISOString(),
      modifiedTime: post.updatedAt.toISOString(),
      authors: post.authorName ? [post.authorName] : undefined,
      tags: post.tags,
    },
    twitter: {
      card: image ? "summary_large_image" : "summary",
      title,
      description,
      images: image ? [image] : undefined,
    },
  };
}

/** schema.org data for search engines; `<` is escaped so nothing in it can close the script tag. */
function jsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export default async function BlogPostPage({ params }: Props) {
  const { workspace, slug } = await params;
  const { db, blog, post } = await loadPost(workspace, slug);
  const request = await headers();
  // A person's page load is a view, written within a second (crawlers and prefetches are not). The
  // blog page cache counts its answers itself and asks for this render with no user agent.
  if (isCountableView(request.get("user-agent"), request))
    countBlogView(db, { workspaceId: blog.id, contentId: post.id });
  const base = await loadBaseUrl();
  const html = renderMarkdown(post.body);
  const { posts: more } = await listPublishedPosts(db, blog.id, { limit: 2, offset: 0, excludeId: post.id });
  const structured = {
    "@context": "https://schema.org",
    "@type": "BlogPosting",
    headline: post.title,
    description: post.seoDescription ?? post.excerpt,
    datePublished: post.publishedAt.toISOString(),
    dateModified: post.updatedAt.toISOString(),
    url: base + postPath(blog.slug, post.slug),
    image: post.coverImageUrl ? absoluteUrl(post.coverImageUrl, base) : undefined,
    keywords: post.tags.length ? post.tags.join(", ") : undefined,
    author: post.authorName ? { "@type": "Person", name: post.authorName } : undefined,
    publisher: { "@type": "Organization", name: blog.name },
  };

  return (
    <>
      <script
        type="application/ld+json"
        // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON with `<` escaped (see jsonLd)
        dangerouslySetInnerHTML={{ __html: jsonLd(structured) }}
      />
      <article className="mx-auto w-full max-w-3xl px-4 pt-8 pb-16 sm:px-6 sm:pt-12">
        <a
          href={blogPath(blog.slug)}
          className="mb-8 inline-flex items-center gap-1.5 text-muted-foreground text-sm transition-colors hover:text-foreground"
        >
          <ArrowLeftIcon className="size-4" aria-hidden />
          All posts
        </a>

        <header className="flex flex-col gap-5">
          <TagLinks tags={post.tags} workspaceSlug={blog.slug} />
          <h1 className="text-pretty font-semibold text-3xl leading-[1.15] tracking-tight sm:text-5xl">
            {post.title}
          </h1>
          {post.lede && <p className="text-pretty text-lg text-muted-foreground sm:text-xl">{post.lede}</p>}
          <div className="flex items-center gap-3 text-sm">
            {post.authorName && (
              <span
                aria-hidden
                className="flex size-9 shrink-0 items-center justify-center rounded-full bg-primary/10 font-semibold text-primary text-xs"
              >
                {initials(post.authorName)}
              </span>
            )}
            <div className="flex flex-col">
              {post.authorName && <span className="font-medium">{post.authorName}</span>}
              <span className="flex flex-wrap gap-x-2 text-muted-foreground">
                <time dateTime={post.publishedAt.toISOString()}>
                  {formatPostDate(post.publishedAt, blog.timeZone)}
                </time>
                <span aria-hidden>·</span>
                <span>{post.readingMinutes} min read</span>
              </span>
            </div>
          </div>
        </header>

        {post.coverImageUrl && (
          <div className="-mx-4 mt-8 aspect-[16/9] overflow-hidden bg-muted sm:mx-0 sm:mt-10 sm:rounded-2xl sm:border">
            <PostCover post={post} eager />
          </div>
        )}

        <div
          className={`${styles.prose} mt-10`}
          // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown returns sanitized HTML
          dangerouslySetInnerHTML={{ __html: html }}
        />
      </article>

      {more.length > 0 && (
        <aside className="border-t bg-muted/30">
          <div className="mx-auto w-full max-w-6xl px-4 py-12 sm:px-6">
            <div className="mb-8 flex items-baseline justify-between gap-4">
              <h2 className="font-semibold text-xl tracking-tight">More from {blog.name}</h2>
              <a href={blogPath(blog.slug)} className="text-primary text-sm hover:underline">
                All posts
              </a>
            </div>
            <div className="grid gap-x-8 gap-y-12 sm:grid-cols-2">
              {more.map((p) => (
                <PostCard key={p.id} post={p} workspaceSlug={blog.slug} timeZone={blog.timeZone} />
              ))}
            </div>
          </div>
        </aside>
      )}
    </>
  );
}

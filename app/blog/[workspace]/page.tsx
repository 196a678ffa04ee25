import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PostCard } from "@/components/blog/post-card";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ArrowLeftIcon, ArrowRightIcon, NewspaperIcon, XIcon } from "@/components/ui/static-icons";
import { listPublishedPosts } from "@/server/services/blog";
import { absoluteUrl, blogDescription, blogPath, rssPath } from "@/server/services/blog-feed";
import { loadBaseUrl, loadBlog } from "./data";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 9;

type Props = {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function readQuery(query: Record<string, string | string[] | undefined>) {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const tag = first(query.tag)?.trim().slice(0, 40) || null;
  const page = Number.parseInt(first(query.page) ?? "1", 10);
  return { tag, page: Number.isFinite(page) && page >= 1 && page <= 10_000 ? page : 1 };
}

function pageHref(workspaceSlug: string, p: { tag: string | null; page: number }) {
  const q = new URLSearchParams();
  if (p.tag) q.set("tag", p.tag);
  if (p.page > 1) q.set("page", String(p.page));
  const s = q.toString();
  return blogPath(workspaceSlug) + (s ? `?${s}` : "");
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { blog } = await loadBlog((await params).workspace);
  const { tag, page } = readQuery(await searchParams);
  const base = await loadBaseUrl();
  const url = base + pageHref(blog.slug, { tag, page });
  const title = tag ? `Posts tagged “${tag}”` : `${blog.name} blog`;
  const description = blogDescription(blog);
  return {
    title: tag ? title : { absolute: title },
    description,
    alternates: {
      canonical: url,
      types: { "application/rss+xml": [{ url: base + rssPath(blog.slug), title: blog.name }] },
    },
    openGraph: {
      type: "website",
      siteName: blog.name,
      title,
      description,
      url,
      images: blog.logoUrl ? [absoluteUrl(blog.logoUrl, base)] : undefined,
    },
    twitter: { card: "summary", title, description },
  };
}

export default async function BlogIndexPage({ params, searchParams }: Props) {
  const { db, blog } = await loadBlog((await params).workspace);
  const { tag, page } = readQuery(await searchParams);
  const { posts, total } = await listPublishedPosts(db, blog.id, {
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    tag,
  });
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > pageCount) notFound();
  const featureFirst = page === 1 && !tag;

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-10 sm:px-6 sm:py-14">
      <section className="mb-10 flex flex-col gap-3 border-b pb-10 sm:mb-12">
        {tag ? (
          <>
            <p className="font-medium text-primary text-sm">Tag</p>
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-balance font-semibold text-3xl tracking-tight sm:text-4xl">{tag}</h1>
              <a
                href={blogPath(blog.slug)}
                className={buttonVariants({ variant: "outline", size: "sm", className: "rounded-full" })}
              >
                <XIcon aria-hidden />
                Clear filter
              </a>
            </div>
            <p className="text-muted-foreground">
              {total === 1 ? "1 post" : `${total.toLocaleString("en-US")} posts`} tagged “{tag}”.
            </p>
          </>
        ) : (
          <>
            <p className="font-medium text-primary text-sm">Blog</p>
            <h1 className="text-balance font-semibold text-3xl tracking-tight sm:text-5xl">{blog.name}</h1>
            <p className="max-w-2xl text-lg text-muted-foreground">{blogDescription(blog)}</p>
          </>
        )}
      </section>

      {posts.length === 0 ? (
        <EmptyState
          icon={NewspaperIcon}
          title={tag ? `No posts tagged “${tag}”` : "No posts published yet"}
          description={
            tag
              ? "Nothing published under this tag yet."
              : `When ${blog.name} publishes a post, it will appear here.`
          }
          action={
            tag ? (
              <a href={blogPath(blog.slug)} className={buttonVariants({ variant: "outline", size: "sm" })}>
                See all posts
              </a>
            ) : undefined
          }
          className="py-16"
        />
      ) : (
        <div className="grid gap-x-8 gap-y-12 sm:grid-cols-2 lg:grid-cols-3">
          {posts.map((post, i) => (
            <PostCard
              key={post.id}
              post={post}
              workspaceSlug={blog.slug}
              timeZone={blog.timeZone}
              activeTag={tag}
              featured={featureFirst && i === 0}
            />
          ))}
        </div>
      )}

      {pageCount > 1 && (
        <nav
          aria-label="Pagination"
          className="mt-14 grid grid-cols-[1fr_auto_1fr] items-center gap-4 border-t pt-6"
        >
          {page > 1 ? (
            <a
              href={pageHref(blog.slug, { tag, page: page - 1 })}
              rel="prev"
              className={buttonVariants({ variant: "outline", className: "justify-self-start" })}
            >
              <ArrowLeftIcon aria-hidden />
              Newer posts
            </a>
          ) : (
            <span />
          )}
          <p className="hidden text-muted-foreground text-sm tabular-nums sm:block">
            Page {page} of {pageCount}
          </p>
          {page < pageCount ? (
            <a
              href={pageHref(blog.slug, { tag, page: page + 1 })}
              rel="next"
              className={buttonVariants({ variant: "outline", className: "justify-self-end" })}
            >
              Older posts
              <ArrowRightIcon aria-hidden />
            </a>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}

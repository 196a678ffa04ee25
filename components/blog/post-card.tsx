import type { CSSProperties } from "react";
import { cn } from "@/lib/utils";
import type { BlogPostSummary } from "@/server/services/blog";
import styles from "./blog.module.css";
import { formatPostDate, hueFor, tagHref } from "./format";

export function PostCover({
  post,
  className,
  eager = false,
}: {
  post: Pick<BlogPostSummary, "slug" | "title" | "coverImageUrl">;
  className?: string;
  eager?: boolean;
}) {
  if (post.coverImageUrl) {
    return (
      // biome-ignore lint/performance/noImgElement: covers are arbitrary remote URLs or media-library files
      <img
        src={post.coverImageUrl}
        alt=""
        loading={eager ? "eager" : "lazy"}
        decoding="async"
        className={cn("size-full object-cover", className)}
      />
    );
  }
  return (
    <div
      aria-hidden
      className={cn("flex size-full items-center justify-center", styles.placeholder, className)}
      style={{ "--hue": hueFor(post.slug) } as CSSProperties}
    >
      <span className="font-semibold text-5xl tracking-tight opacity-80">
        {Array.from(post.title.trim())[0]?.toLocaleUpperCase() ?? ""}
      </span>
    </div>
  );
}

export function TagLinks({
  tags,
  workspaceSlug,
  activeTag,
  className,
}: {
  tags: string[];
  workspaceSlug: string;
  activeTag?: string | null;
  className?: string;
}) {
  if (tags.length === 0) return null;
  return (
    <ul className={cn("flex flex-wrap gap-1.5", className)} aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <a
            href={tagHref(workspaceSlug, tag)}
            className={cn(
              "inline-flex items-center rounded-full border px-2.5 py-0.5 font-medium text-xs transition-colors",
              tag === activeTag
                ? "border-primary/40 bg-primary/10 text-primary"
                : "bg-background text-muted-foreground hover:border-primary/40 hover:text-foreground",
            )}
          >
            {tag}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function PostMeta({
  post,
  timeZone,
  className,
}: {
  post: Pick<BlogPostSummary, "publishedAt" | "readingMinutes">;
  timeZone: string;
  className?: string;
}) {
  return (
    <p className={cn("flex flex-wrap items-center gap-x-2 text-muted-foreground text-sm", className)}>
      <time dateTime={post.publishedAt.toISOString()}>{formatPostDate(post.publishedAt, timeZone)}</time>
      <span aria-hidden>·</span>
      <span>{post.readingMinutes} min read</span>
    </p>
  );
}

export function PostCard({
  post,
  workspaceSlug,
  timeZone,
  activeTag,
  featured = false,
}: {
  post: BlogPostSummary;
  workspaceSlug: string;
  timeZone: string;
  activeTag?: string | null;
  featured?: boolean;
}) {
  const href = `/blog/${workspaceSlug}/${post.slug}`;
  return (
    <article
      className={cn(
        "group flex flex-col gap-4",
        featured && "sm:col-span-2 md:grid md:grid-cols-[1.25fr_1fr] md:items-center md:gap-8 lg:col-span-3",
      )}
    >
      {/* biome-ignore lint/a11y/useAnchorContent: the cover repeats the title's link below; it is kept out of the tab order and from screen readers on purpose */}
      <a
        href={href}
        tabIndex={-1}
        aria-hidden
        className="block aspect-[16/9] overflow-hidden rounded-xl border bg-muted shadow-xs"
      >
        <PostCover
          post={post}
          eager={featured}
          className="transition-transform duration-500 ease-out group-hover:scale-[1.03]"
        />
      </a>
      <div className="flex flex-col gap-2.5">
        <PostMeta post={post} timeZone={timeZone} />
        <h2
          className={cn(
            "text-balance font-semibold tracking-tight",
            featured ? "text-2xl leading-tight sm:text-3xl" : "text-lg leading-snug",
          )}
        >
          <a href={href} className="decoration-primary/50 underline-offset-4 hover:underline">
            {post.title}
          </a>
        </h2>
        {post.excerpt && (
          <p
            className={cn(
              "text-muted-foreground",
              featured ? "line-clamp-4 text-base" : "line-clamp-3 text-sm",
            )}
          >
            {post.excerpt}
          </p>
        )}
        <TagLinks
          tags={post.tags.slice(0, 4)}
          workspaceSlug={workspaceSlug}
          activeTag={activeTag}
          className="pt-1"
        />
      </div>
    </article>
  );
}

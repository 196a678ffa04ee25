"use client";

import { ImageIcon, Star } from "lucide-react";
import { MarkdownPreview } from "./previews";

export function BlogPreview({
  title,
  body,
  excerpt,
  coverImageUrl,
  tags,
  author,
}: {
  title: string;
  body: string;
  excerpt: string;
  coverImageUrl: string;
  tags: string[];
  author: string;
}) {
  const showCover = /^https?:\/\//i.test(coverImageUrl) || coverImageUrl.startsWith("/api/media/");
  return (
    <article className="overflow-hidden rounded-lg border bg-card" data-testid="blog-preview">
      {showCover ? (
        // biome-ignore lint/performance/noImgElement: a preview of any URL the author typed
        <img src={coverImageUrl} alt="" className="aspect-[2/1] w-full object-cover" />
      ) : (
        <div className="flex aspect-[3/1] items-center justify-center bg-muted text-muted-foreground">
          <ImageIcon className="size-6" aria-hidden />
          <span className="sr-only">No cover image</span>
        </div>
      )}
      <div className="p-4 sm:p-5">
        {tags.length > 0 && (
          <p className="mb-2 flex flex-wrap gap-1.5">
            {tags.map((t) => (
              <span
                key={t}
                className="rounded-full bg-primary/10 px-2 py-0.5 font-medium text-primary text-xs"
              >
                {t}
              </span>
            ))}
          </p>
        )}
        <h1 className="font-semibold text-2xl leading-tight tracking-tight">
          {title.trim() || <span className="text-muted-foreground">Untitled post</span>}
        </h1>
        <p className="mt-1 text-muted-foreground text-xs">By {author}</p>
        {excerpt.trim() && <p className="mt-3 text-muted-foreground">{excerpt}</p>}
        <hr className="my-4" />
        <MarkdownPreview source={body} empty="Start writing and the post renders here." />
      </div>
    </article>
  );
}

/** How the post could look in a search result. */
export function SearchSnippet({
  url,
  title,
  description,
}: {
  url: string;
  title: string;
  description: string;
}) {
  const shownTitle = title.length > 60 ? `${title.slice(0, 58)}…` : title;
  const shownDescription = description.length > 158 ? `${description.slice(0, 155)}…` : description;
  let host = url;
  let path = "";
  try {
    const u = new URL(url);
    host = u.host;
    path = u.pathname.split("/").filter(Boolean).join(" › ");
  } catch {
    // keep the raw string
  }
  return (
    <div className="rounded-lg border bg-card p-4" data-testid="seo-snippet">
      <p className="mb-2 font-medium text-muted-foreground text-xs uppercase tracking-wide">Search result</p>
      <div className="flex items-center gap-2">
        <span className="flex size-7 items-center justify-center rounded-full bg-muted" aria-hidden>
          <Star className="size-3.5 text-muted-foreground" />
        </span>
        <div className="min-w-0 text-xs leading-tight">
          <p className="truncate">{host}</p>
          <p className="truncate text-muted-foreground">
            {host}
            {path && ` › ${path}`}
          </p>
        </div>
      </div>
      <p className="mt-2 truncate text-[#1a0dab] text-lg leading-snug hover:underline dark:text-[#99c3ff]">
        {shownTitle || "Your post title"}
      </p>
      <p className="mt-1 line-clamp-2 text-muted-foreground text-sm">
        {shownDescription || "Add an SEO description — search engines show it under the title."}
      </p>
    </div>
  );
}

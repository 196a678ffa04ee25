"use client";

import {
  Bookmark,
  Globe,
  Heart,
  ImageIcon,
  Lock,
  MessageCircle,
  Music2,
  Share2,
  Star,
  UserRound,
  Users,
  Video,
} from "lucide-react";
import { useDeferredValue, useMemo } from "react";
import { renderMarkdown, toPlainText } from "@/lib/markdown";
import { cn } from "@/lib/utils";

/** Typography for rendered Markdown (previews only; the public blog has its own styles). */
export const markdownClass = cn(
  "break-words text-sm leading-relaxed",
  "[&_h1]:mt-5 [&_h1]:mb-2 [&_h1]:font-semibold [&_h1]:text-xl",
  "[&_h2]:mt-5 [&_h2]:mb-2 [&_h2]:font-semibold [&_h2]:text-lg",
  "[&_h3]:mt-4 [&_h3]:mb-1.5 [&_h3]:font-semibold [&_h3]:text-base",
  "[&_p]:my-2.5 [&_ul]:my-2.5 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-2.5 [&_ol]:list-decimal [&_ol]:pl-5 [&_li]:my-0.5",
  "[&_a]:text-primary [&_a]:underline [&_a]:underline-offset-2",
  "[&_blockquote]:my-3 [&_blockquote]:border-l-2 [&_blockquote]:border-primary/50 [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground",
  "[&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_code]:py-0.5 [&_code]:font-mono [&_code]:text-[0.85em]",
  "[&_pre]:my-3 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-muted [&_pre]:p-3 [&_pre_code]:bg-transparent [&_pre_code]:p-0",
  "[&_img]:my-3 [&_img]:h-auto [&_img]:max-w-full [&_img]:rounded-md [&_hr]:my-4 [&_hr]:border-border",
  "[&_table]:my-3 [&_table]:w-full [&_table]:text-left [&_td]:border [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:px-2 [&_th]:py-1",
  "[&>:first-child]:mt-0 [&>:last-child]:mb-0",
);

/** Markdown rendered by the same sanitizing renderer the server uses. */
export function MarkdownPreview({
  source,
  className,
  empty = "Nothing to preview yet.",
}: {
  source: string;
  className?: string;
  empty?: string;
}) {
  const deferred = useDeferredValue(source);
  const html = useMemo(() => renderMarkdown(deferred), [deferred]);
  if (!deferred.trim()) return <p className="text-muted-foreground text-sm italic">{empty}</p>;
  // renderMarkdown sanitizes its output (no script, no handlers, no javascript: URLs).
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by renderMarkdown
  return <div className={cn(markdownClass, className)} dangerouslySetInnerHTML={{ __html: html }} />;
}

const TAG = /([#@][\p{L}\p{N}_.]*[\p{L}\p{N}_])/gu;

/** Caption text with #hashtags and @mentions picked out, as TikTok shows them. */
export function HighlightedCaption({ text, className }: { text: string; className?: string }) {
  const parts = text.split(TAG);
  return (
    <p className={cn("whitespace-pre-wrap break-words", className)}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span
            key={i}
            className={cn("font-semibold", part.startsWith("#") ? "text-amber-200" : "text-cyan-200")}
            data-token={part.startsWith("#") ? "hashtag" : "mention"}
          >
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </p>
  );
}

const PRIVACY: Record<string, { label: string; icon: typeof Globe }> = {
  PUBLIC_TO_EVERYONE: { label: "Everyone", icon: Globe },
  MUTUAL_FOLLOW_FRIENDS: { label: "Friends", icon: Users },
  FOLLOWER_OF_CREATOR: { label: "Followers", icon: UserRound },
  SELF_ONLY: { label: "Only me", icon: Lock },
};

export function TikTokPreview({
  caption,
  videoUrl,
  coverTimeMs,
  handle,
  privacyLevel,
  allowComments,
  allowDuet,
  allowStitch,
}: {
  caption: string;
  videoUrl: string;
  coverTimeMs: number;
  handle: string;
  privacyLevel: string;
  allowComments: boolean;
  allowDuet: boolean;
  allowStitch: boolean;
}) {
  const privacy = PRIVACY[privacyLevel] ?? PRIVACY.SELF_ONLY!;
  const PrivacyIcon = privacy.icon;
  const playable = /^https?:\/\//i.test(videoUrl) || videoUrl.startsWith("/api/media/");
  const seconds = Number.isFinite(coverTimeMs) ? Math.max(0, coverTimeMs / 1000) : 0;
  return (
    <div className="mx-auto w-full max-w-[18rem]" data-testid="tiktok-preview">
      <div className="relative aspect-[9/19] overflow-hidden rounded-[2.25rem] border-[6px] border-zinc-900 bg-black text-white shadow-xl ring-1 ring-zinc-700 dark:border-zinc-700">
        <div
          className="absolute top-1.5 left-1/2 z-10 h-4 w-20 -translate-x-1/2 rounded-full bg-zinc-900"
          aria-hidden
        />
        {playable ? (
          <video
            key={`${videoUrl}#${seconds}`}
            src={`${videoUrl}#t=${seconds.toFixed(1)}`}
            className="absolute inset-0 size-full object-cover"
            muted
            playsInline
            preload="metadata"
            aria-label="Video cover frame"
          />
        ) : (
          <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 bg-gradient-to-b from-zinc-800 via-zinc-900 to-black text-zinc-400">
            <Video className="size-8" aria-hidden />
            <span className="text-xs">No video yet</span>
          </div>
        )}
        <div className="absolute inset-x-0 top-7 flex justify-center gap-4 font-semibold text-[11px] text-white/70">
          <span>Following</span>
          <span className="text-white underline decoration-2 underline-offset-4">For You</span>
        </div>
        <div className="absolute right-2 bottom-24 flex flex-col items-center gap-3 text-[10px]" aria-hidden>
          <span className="flex size-9 items-center justify-center rounded-full border-2 border-white bg-zinc-700 font-bold text-xs uppercase">
            {handle.slice(0, 1)}
          </span>
          <span className="flex flex-col items-center">
            <Heart className="size-6 fill-white" />0
          </span>
          <span className={cn("flex flex-col items-center", !allowComments && "opacity-30")}>
            <MessageCircle className="size-6 fill-white" />
            {allowComments ? "0" : "Off"}
          </span>
          <span className="flex flex-col items-center">
            <Bookmark className="size-6 fill-white" />0
          </span>
          <span className="flex flex-col items-center">
            <Share2 className="size-6" />0
          </span>
        </div>
        <div className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/85 via-black/50 to-transparent p-3 pt-10 pr-14">
          <p className="font-semibold text-sm">@{handle}</p>
          <div className="mt-1 max-h-32 overflow-y-auto text-[12px] leading-snug">
            {caption.trim() ? (
              <HighlightedCaption text={caption} />
            ) : (
              <p className="text-white/50 italic">Your caption appears here</p>
            )}
          </div>
          <p className="mt-2 flex items-center gap-1 text-[11px] text-white/80">
            <Music2 className="size-3" aria-hidden />
            <span className="truncate">original sound · {handle}</span>
          </p>
        </div>
      </div>
      <ul className="mt-3 flex flex-wrap justify-center gap-1.5 text-muted-foreground text-xs">
        <li className="inline-flex items-center gap-1 rounded-full border px-2 py-0.5">
          <PrivacyIcon className="size-3" aria-hidden />
          {privacy.label}
        </li>
        <li className="rounded-full border px-2 py-0.5">Comments {allowComments ? "on" : "off"}</li>
        <li className="rounded-full border px-2 py-0.5">Duet {allowDuet ? "on" : "off"}</li>
        <li className="rounded-full border px-2 py-0.5">Stitch {allowStitch ? "on" : "off"}</li>
        <li className="rounded-full border px-2 py-0.5">Cover at {seconds.toFixed(1)} s</li>
      </ul>
    </div>
  );
}

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

export function EmailPreview({
  from,
  subject,
  preheader,
  body,
}: {
  from: string;
  subject: string;
  preheader: string;
  body: string;
}) {
  const deferred = useDeferredValue(body);
  // Inboxes fill a short preheader with the start of the body.
  const snippet = preheader.trim() || toPlainText(renderMarkdown(deferred)).replace(/\s+/g, " ").trim();
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-3" data-testid="email-preview">
      <div className="rounded-lg border bg-card">
        <p className="border-b px-3 py-1.5 font-medium text-muted-foreground text-xs">Inbox</p>
        <div className="flex items-start gap-3 px-3 py-3">
          <span className="flex size-8 shrink-0 items-center justify-center rounded-full bg-primary/15 font-semibold text-primary text-xs uppercase">
            {from.slice(0, 1)}
          </span>
          <div className="min-w-0 flex-1 text-sm">
            <div className="flex items-baseline justify-between gap-2">
              <p className="truncate font-semibold">{from}</p>
              <span className="shrink-0 text-muted-foreground text-xs">now</span>
            </div>
            <p className="truncate">
              <span className="font-medium">{subject.trim() || "(no subject)"}</span>
              {snippet && <span className="text-muted-foreground"> — {snippet}</span>}
            </p>
          </div>
        </div>
      </div>
      <div className="overflow-hidden rounded-lg border bg-muted/40">
        <div className="border-b bg-card px-4 py-3 text-sm">
          <p className="font-semibold text-base">{subject.trim() || "(no subject)"}</p>
          <p className="text-muted-foreground text-xs">From {from}</p>
        </div>
        <div className="p-3 sm:p-5">
          <div className="mx-auto max-w-[36rem] rounded-md bg-white p-5 text-zinc-900 shadow-sm [&_a]:text-emerald-700">
            <MarkdownPreview source={body} empty="The email body renders here." className="text-zinc-900" />
          </div>
        </div>
      </div>
    </div>
  );
}

"use client";

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

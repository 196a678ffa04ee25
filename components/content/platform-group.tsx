"use client";

import { useQuery } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { useTRPC } from "@/lib/trpc/client";
import { cn, formatDateTime } from "@/lib/utils";
import { type ContentItem, StatusBadge, TYPE_META } from "./content-meta";

/** The posts of this item's video on every platform (none when it is in no group). */
export function useContentGroup(item: Pick<ContentItem, "groupId">) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  return useQuery({
    ...trpc.content.group.queryOptions({ workspaceId: ws.id, groupId: item.groupId ?? "" }),
    enabled: Boolean(item.groupId),
  });
}

/** The icon of a platform in its own tone, in a small square. */
export function PlatformIcon({ type, className }: { type: ContentItem["type"]; className?: string }) {
  const meta = TYPE_META[type];
  const Icon = meta.icon;
  return (
    <span
      className={cn(
        "flex size-6 shrink-0 items-center justify-center rounded-md border",
        meta.badge,
        className,
      )}
      title={meta.label}
      data-type={type}
    >
      <Icon className="size-3.5" aria-hidden />
      <span className="sr-only">{meta.label}</span>
    </span>
  );
}

/**
 * "Also posted to": the item's siblings in its group (one video, one post per platform), each with
 * its status, its time and a link to the live post, or else to its editor.
 */
export function PlatformGroup({ item }: { item: ContentItem }) {
  const ws = useWorkspace();
  const group = useContentGroup(item);
  const siblings = (group.data ?? []).filter((s) => s.id !== item.id);
  if (!item.groupId || siblings.length === 0) return null;
  return (
    <div className="grid gap-2 border-t pt-3" data-testid="platform-group">
      <h3 className="font-medium text-muted-foreground text-xs uppercase tracking-wide">Also posted to</h3>
      <ul className="grid gap-1.5">
        {siblings.map((s) => {
          const at = s.publishedAt ?? s.scheduledAt;
          const editor = `/${ws.slug}/content/${s.id}`;
          return (
            <li
              key={s.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm"
              data-testid={`group-member-${s.type}`}
            >
              <Link href={editor} className="flex min-w-0 items-center gap-2 font-medium hover:underline">
                <PlatformIcon type={s.type} />
                <span className="truncate">{TYPE_META[s.type].noun}</span>
              </Link>
              <StatusBadge status={s.status} title={s.error ?? undefined} />
              <span className="text-muted-foreground text-xs tabular-nums">
                {at
                  ? `${s.publishedAt ? "Published" : "Scheduled"} ${formatDateTime(at, ws.timeZone)}`
                  : "Not scheduled"}
              </span>
              {s.url ? (
                <a
                  href={s.url}
                  target="_blank"
                  rel="noreferrer"
                  className="ml-auto inline-flex items-center gap-1 text-primary text-xs hover:underline"
                >
                  <ExternalLink className="size-3.5" aria-hidden />
                  View on {TYPE_META[s.type].label}
                </a>
              ) : (
                <Link href={editor} className="ml-auto text-primary text-xs hover:underline">
                  Open editor
                </Link>
              )}
              {s.status === "failed" && s.error && (
                <p className="basis-full text-destructive text-xs">{s.error}</p>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A group member in a list: its platform icon and status, linking to its editor. */
export function PlatformStatusChip({
  item,
  href,
}: {
  item: { id: string; type: ContentItem["type"]; status: ContentItem["status"] };
  href: string;
}) {
  const Icon = TYPE_META[item.type].icon;
  return (
    <Link
      href={href}
      className="inline-flex items-center gap-1 rounded-md hover:opacity-80"
      title={`${TYPE_META[item.type].noun} — open its editor`}
      data-testid={`group-chip-${item.type}`}
    >
      <span
        className={cn("flex size-5 items-center justify-center rounded border", TYPE_META[item.type].badge)}
      >
        <Icon className="size-3" aria-hidden />
        <span className="sr-only">{TYPE_META[item.type].label}</span>
      </span>
      <StatusBadge status={item.status} />
    </Link>
  );
}

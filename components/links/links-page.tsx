"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link2, Pencil, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CopyButton } from "@/components/settings/copy-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { LinkListItem } from "@/server/services/links/links";
import { LinkDialog } from "./link-dialog";

const count = (n: number) => n.toLocaleString("en-US");

function hostOf(url: string) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Tracked short links: each with its address to copy, where it leads, what it belongs to and its clicks. */
export function LinksPage({ baseUrl }: { baseUrl: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const list = useQuery(trpc.links.list.queryOptions({ workspaceId: ws.id }));
  const newButton = (
    <Button data-testid="link-new">
      <Plus className="size-4" aria-hidden /> New link
    </Button>
  );

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-semibold text-2xl tracking-tight">Links</h1>
          <p className="max-w-2xl text-muted-foreground text-sm">
            Short links for captions, bios, blog posts and emails. People&apos;s clicks are counted per day,
            without cookies; bots, link scanners and previews are counted apart.
          </p>
        </div>
        {ws.canWrite && <LinkDialog trigger={newButton} />}
      </div>
      {list.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : list.isError ? (
        <p className="text-destructive text-sm">{errorMessage(list.error)}</p>
      ) : list.data.length === 0 ? (
        <EmptyState
          icon={Link2}
          title="No links yet"
          description="Make a short link to a product page, tie it to a post, and see which post sends people there."
          action={ws.canWrite ? <LinkDialog trigger={newButton} /> : undefined}
        />
      ) : (
        <Card className="divide-y p-0" data-testid="links-list">
          {list.data.map((l) => (
            <LinkRow key={l.id} link={l} shortUrl={`${baseUrl}/l/${l.code}`} />
          ))}
        </Card>
      )}
    </div>
  );
}

function LinkRow({ link, shortUrl }: { link: LinkListItem; shortUrl: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.links.delete.mutationOptions({
      onSuccess: async () => {
        toast.success("Link deleted");
        await queryClient.invalidateQueries({ queryKey: trpc.links.list.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const name = link.label || hostOf(link.destination);
  const utm = [link.utmSource, link.utmMedium, link.utmCampaign].filter(Boolean).join(" · ");

  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" data-testid="link-row">
      <div className="min-w-0 flex-1 basis-72">
        <p className="truncate font-medium">{name}</p>
        <p className="flex min-w-0 items-center gap-2 text-sm">
          <code className="truncate font-mono text-primary" data-testid="link-short-url">
            {shortUrl}
          </code>
        </p>
        <p className="truncate text-muted-foreground text-xs" title={link.destination}>
          → {link.destination}
          {utm && <span> · UTM {utm}</span>}
        </p>
        {(link.contentTitle || link.campaignName) && (
          <div className="mt-1">
            {link.contentId && link.contentTitle ? (
              <Badge variant="secondary" asChild>
                <Link href={`/${ws.slug}/content/${link.contentId}`}>{link.contentTitle}</Link>
              </Badge>
            ) : (
              <Badge variant="secondary">{link.campaignName}</Badge>
            )}
          </div>
        )}
      </div>
      <dl className="flex shrink-0 gap-5 text-right text-sm tabular-nums">
        <div>
          <dt className="text-muted-foreground text-xs">30 days</dt>
          <dd className="font-medium" data-testid="link-clicks-30d">
            {count(link.clicks30d)}
          </dd>
        </div>
        <div>
          <dt className="text-muted-foreground text-xs">All time</dt>
          <dd>{count(link.clicksTotal)}</dd>
        </div>
        <div title="Bots, link scanners and previews: not in the figures">
          <dt className="text-muted-foreground text-xs">Machines</dt>
          <dd className="text-muted-foreground" data-testid="link-machine-clicks">
            {count(link.machineClicksTotal)}
          </dd>
        </div>
      </dl>
      <div className="flex shrink-0 items-center gap-1">
        <CopyButton value={shortUrl} size="sm" label="Copy" aria-label={`Copy ${shortUrl}`} />
        {ws.canWrite && (
          <>
            <LinkDialog
              link={link}
              trigger={
                <Button variant="ghost" size="icon-sm" aria-label={`Edit ${name}`}>
                  <Pencil className="size-4" aria-hidden />
                </Button>
              }
            />
            <ConfirmDialog
              trigger={
                <Button variant="ghost" size="icon-sm" aria-label={`Delete ${name}`}>
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              }
              title="Delete this link?"
              description={`${shortUrl} stops working for everyone who has it (a 404), and its click counts go with it.`}
              confirmLabel="Delete link"
              destructive
              onConfirm={() => remove.mutate({ workspaceId: ws.id, id: link.id })}
            />
          </>
        )}
      </div>
    </div>
  );
}

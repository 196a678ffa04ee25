"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertCircle, Bell, CheckCheck, CheckCircle2, Info } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatRelative } from "@/components/content/zoned-time";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/lazy-dropdown-menu";
import { Skeleton } from "@/components/ui/skeleton";
import { useLiveEvent } from "@/hooks/use-live-events";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";

function KindIcon({ kind }: { kind: string }) {
  if (kind.endsWith("failed")) return <AlertCircle className="size-4 text-destructive" aria-hidden />;
  if (kind.endsWith("published")) return <CheckCircle2 className="size-4 text-success" aria-hidden />;
  return <Info className="size-4 text-muted-foreground" aria-hidden />;
}

type NotificationItem = {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  readAt: Date | string | null;
  createdAt: Date | string;
};

function NotificationRow({ n }: { n: NotificationItem }) {
  return (
    <>
      <span className="mt-0.5">
        <KindIcon kind={n.kind} />
      </span>
      <span className="min-w-0 flex-1">
        <span className={cn("block truncate text-sm", !n.readAt && "font-medium")}>{n.title}</span>
        {n.body && <span className="line-clamp-2 text-muted-foreground text-xs">{n.body}</span>}
        <time dateTime={new Date(n.createdAt).toISOString()} className="text-muted-foreground text-xs">
          {formatRelative(n.createdAt)}
        </time>
      </span>
      {!n.readAt && (
        <span className="mt-1.5 size-2 shrink-0 rounded-full bg-primary">
          <span className="sr-only">Unread</span>
        </span>
      )}
    </>
  );
}

export function NotificationBell() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const input = { workspaceId: ws.id, limit: 20 };
  const list = useQuery(trpc.notifications.list.queryOptions(input, { staleTime: 60_000 }));
  const unread = list.data?.unread ?? 0;

  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() }),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  // Publishing happens in the background: say how it went wherever the person is.
  useLiveEvent((e) => {
    const title = typeof e.data.title === "string" ? e.data.title : "Your content";
    const id = typeof e.data.id === "string" ? e.data.id : null;
    const openItem = id
      ? { label: "Open", onClick: () => router.push(`/${ws.slug}/content/${id}`) }
      : undefined;
    if (e.type === "content.published") {
      toast.success(`Published: ${title}`, { action: openItem, id: `published-${id}` });
    } else if (e.type === "content.failed") {
      toast.error(`Publishing failed: ${title}`, {
        description: typeof e.data.error === "string" ? e.data.error : undefined,
        action: openItem,
        id: `failed-${id}`,
      });
    }
  });

  const items = list.data?.items ?? [];
  return (
    <DropdownMenu open={open} onOpenChange={setOpen}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="relative size-8 sm:size-9"
          aria-label={unread ? `Notifications (${unread} unread)` : "Notifications"}
          data-testid="notification-bell"
        >
          <Bell className="size-4" aria-hidden />
          {unread > 0 && (
            <span
              className="absolute top-1 right-1 flex h-4 min-w-4 items-center justify-center rounded-full bg-destructive px-1 font-semibold text-[10px] text-white tabular-nums leading-none"
              data-testid="notification-count"
            >
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-[min(22rem,calc(100vw-1rem))] p-0">
        <div className="flex items-center justify-between gap-2 py-1 pr-1 pl-3">
          <DropdownMenuLabel className="p-0 text-sm">Notifications</DropdownMenuLabel>
          <DropdownMenuItem
            className="h-7 px-2 text-xs"
            disabled={unread === 0 || markRead.isPending}
            onSelect={(e) => {
              e.preventDefault();
              markRead.mutate({ workspaceId: ws.id });
            }}
            data-testid="notifications-mark-all"
          >
            <CheckCheck aria-hidden />
            Mark all read
          </DropdownMenuItem>
        </div>
        <DropdownMenuSeparator className="m-0" />
        <div className="max-h-96 overflow-y-auto py-1">
          {list.isPending ? (
            <div className="grid gap-2 p-3">
              <Skeleton className="h-10" />
              <Skeleton className="h-10" />
            </div>
          ) : list.isError ? (
            <p className="px-3 py-6 text-center text-muted-foreground text-sm">
              Notifications could not be loaded. {errorMessage(list.error)}
            </p>
          ) : items.length === 0 ? (
            <p className="px-3 py-8 text-center text-muted-foreground text-sm">
              Nothing yet. You will hear here when content publishes or fails.
            </p>
          ) : (
            items.map((n) => (
              <DropdownMenuItem
                key={n.id}
                asChild={Boolean(n.link)}
                className="items-start gap-3 rounded-none px-3 py-2"
                onSelect={() => {
                  if (!n.readAt) markRead.mutate({ workspaceId: ws.id, ids: [n.id] });
                }}
              >
                {n.link ? (
                  <Link href={n.link}>
                    <NotificationRow n={n} />
                  </Link>
                ) : (
                  <NotificationRow n={n} />
                )}
              </DropdownMenuItem>
            ))
          )}
        </div>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

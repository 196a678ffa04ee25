"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CalendarDays,
  Copy,
  FileText,
  ImageIcon,
  MoreHorizontal,
  Pencil,
  Plus,
  Search,
  Sparkles,
  Trash2,
  X,
} from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { PaginationBar } from "@/components/ui/pagination";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { SortHead } from "@/components/ui/sort-head";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { cn, formatDateTime } from "@/lib/utils";
import { CONTENT_SORT_FIELDS } from "@/server/services/content/schemas";
import {
  AiBadge,
  CONTENT_STATUS_LIST,
  CONTENT_TYPE_LIST,
  type ContentListRow,
  readMeta,
  STATUS_LABEL,
  StatusBadge,
  TYPE_META,
} from "./content-meta";
import { GenerateDialog } from "./generate-dialog";

const PAGE_SIZE = 20;
type SortField = (typeof CONTENT_SORT_FIELDS)[number];
type Direction = "asc" | "desc";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function oneOf<T extends string>(value: string | null, options: readonly T[]): T | undefined {
  return value && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Filters, sort and page live in the URL, so a reload or a shared link shows the same list. */
function useListParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = {
    type: oneOf(params.get("type"), CONTENT_TYPE_LIST),
    status: oneOf(params.get("status"), CONTENT_STATUS_LIST),
    q: params.get("q") ?? "",
    sort: oneOf(params.get("sort"), CONTENT_SORT_FIELDS) ?? "createdAt",
    direction: (params.get("dir") === "asc" ? "asc" : "desc") as Direction,
    page: Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1),
  };
  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === "" || (k === "page" && v === 1)) next.delete(k);
      else next.set(k, String(v));
    }
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  return { ...state, update };
}

export function ContentList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const p = useListParams();
  const [search, setSearch] = useState(p.q);

  const update = useRef(p.update);
  update.current = p.update;

  // Debounced: the list follows the search box once typing pauses.
  useEffect(() => {
    if (search.trim() === p.q) return;
    const t = setTimeout(() => update.current({ q: search.trim() || undefined, page: undefined }), 300);
    return () => clearTimeout(t);
  }, [search, p.q]);

  const input = {
    workspaceId: ws.id,
    type: p.type,
    status: p.status,
    search: p.q || undefined,
    sort: p.sort,
    direction: p.direction,
    limit: PAGE_SIZE,
    offset: (p.page - 1) * PAGE_SIZE,
  };
  const list = useQuery({ ...trpc.content.list.queryOptions(input), placeholderData: keepPreviousData });
  const filtered = Boolean(p.type || p.status || p.q);
  const rows = list.data?.content ?? [];
  const total = list.data?.total ?? 0;

  const sortBy = (field: SortField) => {
    if (p.sort !== field) p.update({ sort: field, dir: field === "title" ? "asc" : "desc", page: undefined });
    else if (p.direction === (field === "title" ? "asc" : "desc"))
      p.update({ dir: field === "title" ? "desc" : "asc", page: undefined });
    else p.update({ sort: undefined, dir: undefined, page: undefined }); // third click: back to newest first
  };

  return (
    <>
      <PageHeader
        title="Content"
        description="TikTok videos, blog posts and emails — drafts, scheduled and published."
        actions={
          <>
            <Button variant="outline" asChild>
              <Link href={`/${ws.slug}/content/calendar`}>
                <CalendarDays aria-hidden />
                Calendar
              </Link>
            </Button>
            <Button variant="outline" asChild>
              <Link href={`/${ws.slug}/content/media`}>
                <ImageIcon aria-hidden />
                Media library
              </Link>
            </Button>
            {ws.canWrite && (
              <>
                <GenerateDialog
                  defaultPlatform={p.type}
                  trigger={
                    <Button variant="outline" data-testid="generate-content">
                      <Sparkles aria-hidden />
                      Generate with AI
                    </Button>
                  }
                />
                <NewContentMenu />
              </>
            )}
          </>
        }
      />

      <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-center">
        <div className="relative sm:max-w-xs sm:flex-1">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            type="search"
            placeholder="Search titles…"
            aria-label="Search by title"
            className="pl-8"
            value={search}
            maxLength={200}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="content-search"
          />
        </div>
        <div className="flex gap-2">
          <Select
            value={p.type ?? "all"}
            onValueChange={(v) => p.update({ type: v === "all" ? undefined : v, page: undefined })}
          >
            <SelectTrigger className="w-full sm:w-36" aria-label="Filter by type" data-testid="filter-type">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All types</SelectItem>
              {CONTENT_TYPE_LIST.map((t) => (
                <SelectItem key={t} value={t}>
                  {TYPE_META[t].label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Select
            value={p.status ?? "all"}
            onValueChange={(v) => p.update({ status: v === "all" ? undefined : v, page: undefined })}
          >
            <SelectTrigger
              className="w-full sm:w-44"
              aria-label="Filter by status"
              data-testid="filter-status"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All statuses</SelectItem>
              {CONTENT_STATUS_LIST.map((s) => (
                <SelectItem key={s} value={s}>
                  {STATUS_LABEL[s]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        {filtered && (
          <Button
            variant="ghost"
            size="sm"
            className="self-start sm:self-auto"
            onClick={() => {
              setSearch("");
              p.update({ type: undefined, status: undefined, q: undefined, page: undefined });
            }}
          >
            <X aria-hidden />
            Clear filters
          </Button>
        )}
      </div>

      {list.isError ? (
        <EmptyState
          icon={FileText}
          title="The content list could not be loaded"
          description={errorMessage(list.error)}
          action={
            <Button variant="outline" onClick={() => list.refetch()}>
              Try again
            </Button>
          }
        />
      ) : !list.isPending && rows.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={Search}
            title="Nothing matches these filters"
            description="Try another title, type or status — or clear the filters to see everything."
            action={
              <Button
                variant="outline"
                onClick={() => {
                  setSearch("");
                  p.update({ type: undefined, status: undefined, q: undefined, page: undefined });
                }}
              >
                Clear filters
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={FileText}
            title="No content yet"
            description={
              ws.canWrite
                ? "Write a TikTok caption, a blog post or an email — or let AI draft one from a product name. Schedule it and it publishes on time."
                : "When your teammates write TikTok videos, blog posts or emails, they appear here."
            }
            action={
              ws.canWrite && (
                <>
                  <NewContentMenu label="Write something" testId="new-content-empty" />
                  <GenerateDialog
                    trigger={
                      <Button variant="outline">
                        <Sparkles aria-hidden />
                        Generate with AI
                      </Button>
                    }
                  />
                </>
              )
            }
          />
        )
      ) : (
        <div className="rounded-lg border">
          <Table data-testid="content-table" aria-busy={list.isFetching}>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead className="w-10 pl-3">
                  <span className="sr-only">Type</span>
                </TableHead>
                <SortHead field="title" p={p} onSort={sortBy}>
                  Title
                </SortHead>
                <TableHead className="hidden lg:table-cell">Status</TableHead>
                <SortHead field="scheduledAt" p={p} onSort={sortBy} className="hidden md:table-cell">
                  When
                </SortHead>
                <SortHead
                  field="views"
                  p={p}
                  onSort={sortBy}
                  className="hidden px-1.5 text-right text-xs lg:table-cell"
                >
                  Views
                </SortHead>
                <TableHead className="hidden px-1.5 text-right text-xs lg:table-cell">Likes</TableHead>
                <TableHead className="hidden px-1.5 text-right text-xs lg:table-cell">Shares</TableHead>
                <TableHead className="hidden px-1.5 text-right text-xs lg:table-cell">Saves</TableHead>
                <TableHead className="hidden px-1.5 text-right text-xs lg:table-cell">Clicks</TableHead>
                <TableHead className="hidden px-1.5 text-right text-xs lg:table-cell" title="Conversions">
                  Conv.
                </TableHead>
                <SortHead
                  field="revenue"
                  p={p}
                  onSort={sortBy}
                  className="hidden px-1.5 text-right text-xs lg:table-cell"
                >
                  Revenue
                </SortHead>
                {ws.canWrite && (
                  <TableHead className="w-10">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.isPending
                ? Array.from({ length: 6 }, (_, i) => <SkeletonRow key={i} canWrite={ws.canWrite} />)
                : rows.map((row) => <ContentRow key={row.id} row={row} />)}
            </TableBody>
          </Table>
        </div>
      )}

      {total > 0 && (
        <PaginationBar
          className="mt-2"
          page={p.page}
          pageSize={PAGE_SIZE}
          total={total}
          onPageChange={(page) => p.update({ page })}
        />
      )}
    </>
  );
}

function SkeletonRow({ canWrite }: { canWrite: boolean }) {
  return (
    <TableRow>
      <TableCell className="pl-3">
        <Skeleton className="size-7" />
      </TableCell>
      <TableCell>
        <Skeleton className="h-4 w-48" />
        <Skeleton className="mt-1.5 h-3 w-24" />
      </TableCell>
      <TableCell className="hidden lg:table-cell">
        <Skeleton className="h-5 w-20" />
      </TableCell>
      <TableCell className="hidden md:table-cell">
        <Skeleton className="h-4 w-32" />
      </TableCell>
      {Array.from({ length: 7 }, (_, i) => (
        <TableCell key={i} className="hidden lg:table-cell">
          <Skeleton className="ml-auto h-4 w-8" />
        </TableCell>
      ))}
      {canWrite && <TableCell />}
    </TableRow>
  );
}

function When({ row, timeZone, stacked }: { row: ContentListRow; timeZone: string; stacked?: boolean }) {
  const [label, at] = row.publishedAt
    ? ["Published", row.publishedAt]
    : row.scheduledAt
      ? [
          row.status === "failed" ? "Was due" : row.status === "sent_to_inbox" ? "Sent" : "Scheduled",
          row.scheduledAt,
        ]
      : ["Not scheduled", null];
  return (
    <span className={stacked ? "grid" : undefined}>
      <span className={cn("text-muted-foreground", stacked && "text-xs")}>
        {label}
        {at && !stacked && " "}
      </span>
      {at && formatDateTime(at, timeZone)}
    </span>
  );
}

function ContentRow({ row }: { row: ContentListRow }) {
  const ws = useWorkspace();
  const meta = readMeta(row.metadata);
  const m = row.metrics;
  const revenue = Number(m.revenue);
  const href = `/${ws.slug}/content/${row.id}`;
  const TypeIcon = TYPE_META[row.type].icon;
  return (
    <TableRow data-testid={`content-row-${row.id}`}>
      <TableCell className="pl-3">
        <span
          className={cn(
            "flex size-7 items-center justify-center rounded-md border",
            TYPE_META[row.type].badge,
          )}
          title={TYPE_META[row.type].label}
          data-type={row.type}
        >
          <TypeIcon className="size-3.5" aria-hidden />
          <span className="sr-only">{TYPE_META[row.type].label}</span>
        </span>
      </TableCell>
      <TableCell className="max-w-[12rem] whitespace-normal sm:max-w-xs lg:max-w-[15rem] xl:max-w-[17rem]">
        <div className="flex items-center gap-2">
          <Link href={href} className="truncate font-medium hover:underline" title={row.title}>
            {row.title}
          </Link>
        </div>
        <p
          className={cn(
            "mt-0.5 items-center gap-1.5 text-muted-foreground text-xs",
            meta.aiGenerated ? "flex" : "hidden lg:flex",
          )}
        >
          {meta.aiGenerated && <AiBadge className="px-1.5 py-0 text-[11px]" />}
          <span className="hidden truncate lg:inline">
            {TYPE_META[row.type].noun} · by {row.author?.name || row.author?.email || "a former member"}
          </span>
        </p>
        {row.status === "failed" && meta.errorMessage && (
          <p
            className="mt-0.5 line-clamp-2 text-destructive text-xs"
            title={meta.errorMessage}
            data-testid="row-publish-error"
          >
            {meta.errorMessage}
          </p>
        )}
        {row.status === "sent_to_inbox" && (
          <p className="mt-0.5 text-muted-foreground text-xs">Finish posting it in the TikTok app.</p>
        )}
        {/* On narrow screens the columns fold into this line. */}
        <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-muted-foreground text-xs lg:hidden">
          <StatusBadge status={row.status} title={meta.errorMessage ?? undefined} />
          <span className="md:hidden">
            <When row={row} timeZone={ws.timeZone} />
          </span>
          <span className="tabular-nums">
            {row.author?.name ? `by ${row.author.name} · ` : ""}
            {compact.format(m.views)} views · {compact.format(m.likes)} likes · {money.format(revenue)}{" "}
            revenue
          </span>
        </div>
      </TableCell>
      <TableCell className="hidden lg:table-cell">
        <StatusBadge
          status={row.status}
          title={row.status === "failed" ? (meta.errorMessage ?? undefined) : undefined}
        />
      </TableCell>
      <TableCell className="hidden text-sm md:table-cell">
        <When row={row} timeZone={ws.timeZone} stacked />
      </TableCell>
      <Metric value={m.views} />
      <Metric value={m.likes} />
      <Metric value={m.shares} />
      <Metric value={m.saves} />
      <Metric value={m.clicks} />
      <Metric value={m.conversions} />
      <TableCell className="hidden px-1.5 text-right tabular-nums lg:table-cell">
        {money.format(revenue)}
      </TableCell>
      {ws.canWrite && (
        <TableCell className="pr-2">
          <RowActions row={row} />
        </TableCell>
      )}
    </TableRow>
  );
}

function Metric({ value }: { value: number }) {
  return (
    <TableCell
      className="hidden px-1.5 text-right tabular-nums lg:table-cell"
      title={value.toLocaleString("en-US")}
    >
      {compact.format(value)}
    </TableCell>
  );
}

function RowActions({ row }: { row: ContentListRow }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.content.list.queryKey() });

  const duplicate = useMutation(
    trpc.content.duplicate.mutationOptions({
      onSuccess: (copy) => {
        toast.success("Duplicated as a draft");
        void refresh();
        router.push(`/${ws.slug}/content/${copy.id}`);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const remove = useMutation(
    trpc.content.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${row.title}”`);
        void refresh();
        void queryClient.invalidateQueries({ queryKey: trpc.content.calendar.queryKey() });
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${row.title}`}>
            <MoreHorizontal aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem asChild>
            <Link href={`/${ws.slug}/content/${row.id}`}>
              <Pencil aria-hidden />
              Edit
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem
            disabled={duplicate.isPending}
            onSelect={() => duplicate.mutate({ workspaceId: ws.id, id: row.id })}
          >
            <Copy aria-hidden />
            Duplicate
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem
            variant="destructive"
            disabled={row.status === "publishing"}
            onSelect={() => setConfirm(true)}
          >
            <Trash2 aria-hidden />
            Delete
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <AlertDialog open={confirm} onOpenChange={setConfirm}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete “{row.title}”?</AlertDialogTitle>
            <AlertDialogDescription>
              {row.status === "published"
                ? "It is already published: deleting removes it here and from your blog, and its metrics are lost."
                : "This removes it for everyone in the workspace. It cannot be undone."}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              variant="destructive"
              onClick={() => remove.mutate({ workspaceId: ws.id, id: row.id })}
            >
              Delete
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

export function NewContentMenu({
  label = "New",
  date,
  testId = "new-content",
}: {
  label?: string;
  date?: string;
  testId?: string;
}) {
  const ws = useWorkspace();
  const suffix = date ? `&date=${date}` : "";
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button data-testid={testId}>
          <Plus aria-hidden />
          {label}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-48">
        {CONTENT_TYPE_LIST.map((t) => {
          const Icon = TYPE_META[t].icon;
          return (
            <DropdownMenuItem key={t} asChild>
              <Link href={`/${ws.slug}/content/new?type=${t}${suffix}`} data-testid={`new-${t}`}>
                <Icon aria-hidden />
                {TYPE_META[t].noun}
              </Link>
            </DropdownMenuItem>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

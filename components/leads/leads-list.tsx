"use client";

import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { Download, Search, SlidersHorizontal, Tag, Trash2, Upload, Users, X } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
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
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { SortHead } from "@/components/ui/sort-head";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { LeadStatus } from "@/server/db/schema";
import { LEAD_SORT_FIELDS, LEADS_PAGE_SIZE } from "@/server/services/leads/schemas";
import { AddLeadDialog } from "./add-lead-dialog";
import { LEAD_STATUS_LABEL, LEAD_STATUS_LIST, LeadStatusBadge } from "./lead-meta";

type SortField = (typeof LEAD_SORT_FIELDS)[number];
type Direction = "asc" | "desc";

function oneOf<T extends string>(value: string | null, options: readonly T[]): T | undefined {
  return value && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Filters and sort live in the URL, so a reload or a shared link shows the same list. */
function useLeadParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = {
    q: params.get("q") ?? "",
    tag: params.get("tag") ?? undefined,
    status: oneOf(params.get("status"), LEAD_STATUS_LIST),
    source: params.get("source") ?? undefined,
    customKey: params.get("cf") ?? undefined,
    customValue: params.get("cv") ?? "",
    sort: oneOf(params.get("sort"), LEAD_SORT_FIELDS) ?? "createdAt",
    direction: (params.get("dir") === "asc" ? "asc" : "desc") as Direction,
  };
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === "") next.delete(k);
      else next.set(k, v);
    }
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  return { ...state, update };
}

export function LeadsList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const p = useLeadParams();
  const [search, setSearch] = useState(p.q);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const update = useRef(p.update);
  update.current = p.update;

  useEffect(() => {
    if (search.trim() === p.q) return;
    const t = setTimeout(() => update.current({ q: search.trim() || undefined }), 300);
    return () => clearTimeout(t);
  }, [search, p.q]);

  const filters = {
    search: p.q || undefined,
    tags: p.tag ? [p.tag] : undefined,
    status: p.status,
    source: p.source,
    custom: p.customKey && p.customValue ? { key: p.customKey, value: p.customValue } : undefined,
  };
  const input = { workspaceId: ws.id, ...filters, sort: p.sort, order: p.direction, limit: LEADS_PAGE_SIZE };
  const list = useInfiniteQuery({
    ...trpc.leads.list.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
    placeholderData: keepPreviousData,
  });
  const tags = useQuery(trpc.leads.tags.queryOptions({ workspaceId: ws.id }));
  const sources = useQuery(trpc.leads.sources.queryOptions({ workspaceId: ws.id }));
  const fields = useQuery(trpc.leads.fields.list.queryOptions({ workspaceId: ws.id }));

  const rows = useMemo(() => list.data?.pages.flatMap((pg) => pg.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total ?? 0;
  const filtered = Boolean(p.q || p.tag || p.status || p.source || (p.customKey && p.customValue));
  const filterKey = JSON.stringify(input);
  // A new filter is a new list: forget the selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on filter change only
  useEffect(() => setSelected(new Set()), [filterKey]);

  const allChecked = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggleAll = () => setSelected(allChecked ? new Set() : new Set(rows.slice(0, 500).map((r) => r.id)));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const clearFilters = () => {
    setSearch("");
    p.update({
      q: undefined,
      tag: undefined,
      status: undefined,
      source: undefined,
      cf: undefined,
      cv: undefined,
    });
  };

  const exportHref = (() => {
    const qs = new URLSearchParams({ workspaceId: ws.id });
    if (selected.size) qs.set("ids", [...selected].join(","));
    else {
      if (filters.search) qs.set("search", filters.search);
      if (p.tag) qs.set("tags", p.tag);
      if (p.status) qs.set("status", p.status);
      if (p.source) qs.set("source", p.source);
      if (filters.custom) {
        qs.set("customKey", filters.custom.key);
        qs.set("customValue", filters.custom.value);
      }
    }
    return `/api/leads/export?${qs}`;
  })();

  const sortBy = (field: SortField) => {
    const natural = field === "createdAt" ? "desc" : "asc";
    if (p.sort !== field) p.update({ sort: field, dir: natural });
    else if (p.direction === natural) p.update({ dir: natural === "asc" ? "desc" : "asc" });
    else p.update({ sort: undefined, dir: undefined });
  };

  return (
    <>
      <PageHeader
        title="Leads"
        description="The people who want to hear from you — tag, filter, segment and export them."
        actions={
          <>
            <Button variant="outline" asChild>
              <Link href={`/${ws.slug}/leads/fields`}>
                <SlidersHorizontal aria-hidden />
                Custom fields
              </Link>
            </Button>
            <Button variant="outline" asChild>
              <a href={exportHref} data-testid="export-leads" download>
                <Download aria-hidden />
                {selected.size ? `Export ${selected.size} selected` : filtered ? "Export filtered" : "Export"}
              </a>
            </Button>
            {ws.canWrite && (
              <>
                <Button variant="outline" asChild>
                  <Link href={`/${ws.slug}/leads/import`}>
                    <Upload aria-hidden />
                    Import CSV
                  </Link>
                </Button>
                <AddLeadDialog />
              </>
            )}
          </>
        }
      />

      <div className="mb-4 flex flex-col gap-2 lg:flex-row lg:flex-wrap lg:items-center">
        <div className="relative lg:w-64">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            type="search"
            placeholder="Search email or name…"
            aria-label="Search by email or name"
            className="pl-8"
            value={search}
            maxLength={200}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="leads-search"
          />
        </div>
        <div className="grid grid-cols-2 gap-2 sm:flex sm:flex-wrap">
          <Select
            value={p.tag ?? "all"}
            onValueChange={(v) => p.update({ tag: v === "all" ? undefined : v })}
          >
            <SelectTrigger className="w-full sm:w-36" aria-label="Filter by tag" data-testid="filter-tag">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All tags</SelectItem>
              {(tags.data ?? []).map((t) => (
                <SelectItem key={t.tag} value={t.tag}>
                  {t.tag} <span className="text-muted-foreground">({t.count})</span>
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Select
            value={p.status ?? "all"}
            onValueChange={(v) => p.update({ status: v === "all" ? undefined : v })}
          >
            <SelectTrigger
              className="w-full sm:w-36"
              aria-label="Filter by status"
              data-testid="filter-status"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All statuses</SelectItem>
              {LEAD_STATUS_LIST.map((s) => (
                <SelectItem key={s} value={s}>
                  {LEAD_STATUS_LABEL[s as LeadStatus]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Select
            value={p.source ?? "all"}
            onValueChange={(v) => p.update({ source: v === "all" ? undefined : v })}
          >
            <SelectTrigger
              className="w-full sm:w-36"
              aria-label="Filter by source"
              data-testid="filter-source"
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All sources</SelectItem>
              {(sources.data ?? []).map((s) => (
                <SelectItem key={s.source} value={s.source}>
                  {s.source}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          {(fields.data?.length ?? 0) > 0 && (
            <Select
              value={p.customKey ?? "none"}
              onValueChange={(v) => p.update({ cf: v === "none" ? undefined : v, cv: undefined })}
            >
              <SelectTrigger
                className="w-full sm:w-40"
                aria-label="Filter by custom field"
                data-testid="filter-custom"
              >
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="none">Custom field…</SelectItem>
                {(fields.data ?? []).map((d) => (
                  <SelectItem key={d.key} value={d.key}>
                    {d.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
          {p.customKey && (
            <CustomValueFilter
              key={p.customKey}
              initial={p.customValue}
              options={fields.data?.find((d) => d.key === p.customKey)}
              onApply={(v) => p.update({ cv: v || undefined })}
            />
          )}
        </div>
        {filtered && (
          <Button variant="ghost" size="sm" className="self-start lg:self-auto" onClick={clearFilters}>
            <X aria-hidden />
            Clear filters
          </Button>
        )}
      </div>

      {ws.canWrite && selected.size > 0 && (
        <BulkBar ids={[...selected]} onDone={() => setSelected(new Set())} />
      )}

      {list.isError ? (
        <EmptyState
          icon={Users}
          title="The leads could not be loaded"
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
            title="No leads match these filters"
            description="Try another search, tag or status — or clear the filters to see everyone."
            action={
              <Button variant="outline" onClick={clearFilters}>
                Clear filters
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={Users}
            title="No leads yet"
            description={
              ws.canWrite
                ? "Import a CSV from your shop or newsletter tool, or add someone by hand."
                : "When your teammates add or import leads, they appear here."
            }
            action={
              ws.canWrite && (
                <>
                  <Button asChild>
                    <Link href={`/${ws.slug}/leads/import`}>
                      <Upload aria-hidden />
                      Import CSV
                    </Link>
                  </Button>
                  <AddLeadDialog testId="add-lead-empty" />
                </>
              )
            }
          />
        )
      ) : (
        <>
          <div className="rounded-lg border">
            <Table data-testid="leads-table" aria-busy={list.isFetching}>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  {ws.canWrite && (
                    <TableHead className="w-10 pl-3">
                      <Checkbox
                        checked={allChecked ? true : selected.size > 0 ? "indeterminate" : false}
                        onCheckedChange={toggleAll}
                        aria-label="Select all loaded leads"
                        data-testid="bulk-select-all"
                      />
                    </TableHead>
                  )}
                  <SortHead field="email" p={p} onSort={sortBy}>
                    Email
                  </SortHead>
                  <SortHead field="name" p={p} onSort={sortBy} className="hidden md:table-cell">
                    Name
                  </SortHead>
                  <TableHead className="hidden sm:table-cell">Status</TableHead>
                  <TableHead className="hidden lg:table-cell">Tags</TableHead>
                  <TableHead className="hidden lg:table-cell">Source</TableHead>
                  <SortHead field="createdAt" p={p} onSort={sortBy} className="hidden md:table-cell">
                    Added
                  </SortHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.isPending
                  ? Array.from({ length: 8 }, (_, i) => (
                      <TableRow key={i}>
                        {ws.canWrite && (
                          <TableCell className="pl-3">
                            <Skeleton className="size-4" />
                          </TableCell>
                        )}
                        <TableCell>
                          <Skeleton className="h-4 w-48" />
                        </TableCell>
                        <TableCell className="hidden md:table-cell">
                          <Skeleton className="h-4 w-28" />
                        </TableCell>
                        <TableCell className="hidden sm:table-cell">
                          <Skeleton className="h-5 w-16" />
                        </TableCell>
                        <TableCell className="hidden lg:table-cell">
                          <Skeleton className="h-5 w-24" />
                        </TableCell>
                        <TableCell className="hidden lg:table-cell">
                          <Skeleton className="h-4 w-16" />
                        </TableCell>
                        <TableCell className="hidden md:table-cell">
                          <Skeleton className="h-4 w-28" />
                        </TableCell>
                      </TableRow>
                    ))
                  : rows.map((lead) => (
                      <TableRow
                        key={lead.id}
                        data-testid={`lead-row-${lead.email}`}
                        data-state={selected.has(lead.id) ? "selected" : undefined}
                      >
                        {ws.canWrite && (
                          <TableCell className="pl-3">
                            <Checkbox
                              checked={selected.has(lead.id)}
                              onCheckedChange={() => toggle(lead.id)}
                              aria-label={`Select ${lead.email}`}
                            />
                          </TableCell>
                        )}
                        <TableCell className="max-w-[14rem] sm:max-w-xs">
                          <Link
                            href={`/${ws.slug}/leads/${lead.id}`}
                            className="block truncate font-medium hover:underline"
                            title={lead.email}
                          >
                            {lead.email}
                          </Link>
                          <div className="mt-0.5 flex flex-wrap items-center gap-1.5 text-muted-foreground text-xs md:hidden">
                            {lead.name && <span className="truncate">{lead.name}</span>}
                            <span className="sm:hidden">
                              <LeadStatusBadge status={lead.status} />
                            </span>
                          </div>
                        </TableCell>
                        <TableCell className="hidden max-w-[12rem] truncate md:table-cell">
                          {lead.name ?? <span className="text-muted-foreground">—</span>}
                        </TableCell>
                        <TableCell className="hidden sm:table-cell">
                          <LeadStatusBadge status={lead.status} />
                        </TableCell>
                        <TableCell className="hidden lg:table-cell">
                          <div
                            className="flex max-w-[18rem] items-center gap-1 overflow-hidden"
                            title={lead.tags.join(", ")}
                          >
                            {lead.tags.slice(0, 2).map((t) => (
                              <Badge key={t} variant="outline" className="max-w-[8rem] truncate font-normal">
                                {t}
                              </Badge>
                            ))}
                            {lead.tags.length > 2 && (
                              <span className="shrink-0 text-muted-foreground text-xs">
                                +{lead.tags.length - 2}
                              </span>
                            )}
                          </div>
                        </TableCell>
                        <TableCell className="hidden text-muted-foreground lg:table-cell">
                          {lead.source ?? "—"}
                        </TableCell>
                        <TableCell className="hidden text-muted-foreground text-sm md:table-cell">
                          {formatDateTime(lead.createdAt, ws.timeZone)}
                        </TableCell>
                      </TableRow>
                    ))}
              </TableBody>
            </Table>
          </div>
          <div className="mt-3 flex flex-col items-center gap-2 sm:flex-row sm:justify-between">
            <p className="text-muted-foreground text-sm" data-testid="leads-count">
              Showing {rows.length.toLocaleString("en-US")} of {total.toLocaleString("en-US")}{" "}
              {total === 1 ? "lead" : "leads"}
            </p>
            {list.hasNextPage && (
              <Button
                variant="outline"
                onClick={() => list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
                data-testid="leads-load-more"
              >
                {list.isFetchingNextPage ? "Loading…" : `Load ${LEADS_PAGE_SIZE} more`}
              </Button>
            )}
          </div>
        </>
      )}
    </>
  );
}

function CustomValueFilter({
  initial,
  options,
  onApply,
}: {
  initial: string;
  options?: { type: string; options: string[] };
  onApply: (v: string) => void;
}) {
  const [value, setValue] = useState(initial);
  if (options?.type === "select" || options?.type === "boolean") {
    const choices = options.type === "boolean" ? ["true", "false"] : options.options;
    return (
      <Select value={initial || "any"} onValueChange={(v) => onApply(v === "any" ? "" : v)}>
        <SelectTrigger className="w-full sm:w-36" aria-label="Custom field value">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="any">Any value</SelectItem>
          {choices.map((c) => (
            <SelectItem key={c} value={c}>
              {options.type === "boolean" ? (c === "true" ? "Yes" : "No") : c}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onApply(value.trim());
      }}
    >
      <Input
        className="w-full sm:w-36"
        placeholder="equals…"
        aria-label="Custom field value"
        type={options?.type === "date" ? "date" : "text"}
        value={value}
        maxLength={1000}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => onApply(value.trim())}
      />
    </form>
  );
}

function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [tagDialog, setTagDialog] = useState<"addTag" | "removeTag" | null>(null);
  const [tag, setTag] = useState("");
  const [confirm, setConfirm] = useState(false);
  const bulk = useMutation(
    trpc.leads.bulk.mutationOptions({
      onSuccess: (r, vars) => {
        const n = r.changed.toLocaleString("en-US");
        toast.success(
          vars.action === "delete"
            ? `Deleted ${n} ${r.changed === 1 ? "lead" : "leads"}`
            : vars.action === "addTag"
              ? `Tagged ${n} with “${vars.tag}”`
              : `Removed “${vars.tag}” from ${n}`,
        );
        void queryClient.invalidateQueries({ queryKey: trpc.leads.pathKey() });
        setTagDialog(null);
        setTag("");
        onDone();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <div
      className="mb-3 flex flex-wrap items-center gap-2 rounded-lg border bg-muted/40 px-3 py-2"
      data-testid="bulk-bar"
    >
      <span className="mr-auto font-medium text-sm">{ids.length.toLocaleString("en-US")} selected</span>
      <Button size="sm" variant="outline" onClick={() => setTagDialog("addTag")} data-testid="bulk-add-tag">
        <Tag aria-hidden />
        Add tag
      </Button>
      <Button
        size="sm"
        variant="outline"
        onClick={() => setTagDialog("removeTag")}
        data-testid="bulk-remove-tag"
      >
        <X aria-hidden />
        Remove tag
      </Button>
      <Button size="sm" variant="outline" onClick={() => setConfirm(true)} data-testid="bulk-delete">
        <Trash2 aria-hidden />
        Delete
      </Button>
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear
      </Button>
      <Dialog open={tagDialog !== null} onOpenChange={(v) => !v && setTagDialog(null)}>
        <DialogContent className="sm:max-w-sm">
          <form
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              if (tagDialog && tag.trim())
                bulk.mutate({ workspaceId: ws.id, ids, action: tagDialog, tag: tag.trim() });
            }}
          >
            <DialogHeader>
              <DialogTitle>{tagDialog === "removeTag" ? "Remove a tag" : "Add a tag"}</DialogTitle>
              <DialogDescription>
                {tagDialog === "removeTag" ? "From" : "To"} {ids.length.toLocaleString("en-US")} selected{" "}
                {ids.length === 1 ? "lead" : "leads"}.
              </DialogDescription>
            </DialogHeader>
            <Field label="Tag" htmlFor="bulk-tag">
              <Input
                id="bulk-tag"
                value={tag}
                maxLength={50}
                autoFocus
                onChange={(e) => setTag(e.target.value)}
                data-testid="bulk-tag-input"
              />
            </Field>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setTagDialog(null)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!tag.trim() || bulk.isPending} data-testid="bulk-tag-apply">
                {tagDialog === "removeTag" ? "Remove tag" : "Add tag"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      <AlertDialog open={confirm} onOpenChange={setConfirm}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>
              Delete {ids.length.toLocaleString("en-US")} {ids.length === 1 ? "lead" : "leads"}?
            </AlertDialogTitle>
            <AlertDialogDescription>
              Their tags, custom fields and email history are removed for everyone. This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              variant="destructive"
              onClick={() => bulk.mutate({ workspaceId: ws.id, ids, action: "delete" })}
              data-testid="bulk-delete-confirm"
            >
              Delete
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}

"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Download, SlidersHorizontal, Upload, Users } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { ListStates } from "@/components/ui/list-states";
import { nextSort } from "@/components/ui/sort-head";
import { useDebouncedText } from "@/hooks/use-debounce";
import { oneOf, useUrlState } from "@/hooks/use-url-state";
import { BULK_MAX_IDS, LEAD_SORT_FIELDS, LEADS_PAGE_SIZE } from "@/lib/enums";
import { useTRPC } from "@/lib/trpc/client";
import { AddLeadDialog } from "./add-lead-dialog";
import { LEAD_STATUS_LIST } from "./lead-meta";
import { LeadsBulkBar } from "./leads-bulk-bar";
import { LeadsFilters } from "./leads-filters";
import { LeadsTable } from "./leads-table";

type SortField = (typeof LEAD_SORT_FIELDS)[number];

/** Filters and sort live in the URL, so a reload or a shared link shows the same list. */
function useLeadParams() {
  const { params, update } = useUrlState();
  return {
    q: params.get("q") ?? "",
    tag: params.get("tag") ?? undefined,
    status: oneOf(params.get("status"), LEAD_STATUS_LIST),
    source: params.get("source") ?? undefined,
    customKey: params.get("cf") ?? undefined,
    customValue: params.get("cv") ?? "",
    sort: oneOf(params.get("sort"), LEAD_SORT_FIELDS) ?? "createdAt",
    direction: (params.get("dir") === "asc" ? "asc" : "desc") as "asc" | "desc",
    update,
  };
}

/** The export link: the selected leads, else everything the filters show. */
function exportHref(
  workspaceId: string,
  selected: Set<string>,
  f: {
    search?: string;
    tag?: string;
    status?: string;
    source?: string;
    custom?: { key: string; value: string };
  },
) {
  const qs = new URLSearchParams({ workspaceId });
  if (selected.size) qs.set("ids", [...selected].join(","));
  else {
    if (f.search) qs.set("search", f.search);
    if (f.tag) qs.set("tags", f.tag);
    if (f.status) qs.set("status", f.status);
    if (f.source) qs.set("source", f.source);
    if (f.custom) {
      qs.set("customKey", f.custom.key);
      qs.set("customValue", f.custom.value);
    }
  }
  return `/api/leads/export?${qs}`;
}

export function LeadsList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const p = useLeadParams();
  const [search, setSearch] = useDebouncedText(p.q, (q) => p.update({ q }));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Every lead the filters match, not only the checked ones: bulk actions then go by filter.
  const [allMatching, setAllMatching] = useState(false);

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

  const rows = useMemo(() => list.data?.pages.flatMap((pg) => pg.items) ?? [], [list.data]);
  // Counted once per filter, apart from the pages (a count at every page grew with the list).
  const counted = useQuery({
    ...trpc.leads.count.queryOptions({ workspaceId: ws.id, ...filters }),
    placeholderData: keepPreviousData,
  });
  const total = counted.data ?? 0;
  const filtered = Boolean(p.q || p.tag || p.status || p.source || (p.customKey && p.customValue));
  const filterKey = JSON.stringify(input);
  // A new filter is a new list: forget the selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on filter change only
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [filterKey]);

  const checkedAll = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const allChecked = allMatching || checkedAll;
  const clearSelection = () => {
    setSelected(new Set());
    setAllMatching(false);
  };
  const toggleAll = () => {
    setAllMatching(false);
    setSelected(allChecked ? new Set() : new Set(rows.slice(0, BULK_MAX_IDS).map((r) => r.id)));
  };
  const toggle = (id: string) => {
    setAllMatching(false);
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };

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
  // Email A→Z, names A→Z, newest first; a third click goes back to newest first.
  const sortBy = (field: SortField) => p.update(nextSort(p, field, field === "createdAt" ? "desc" : "asc"));
  const shownSelected = allMatching ? new Set(rows.map((r) => r.id)) : selected;
  const table = { p, onSort: sortBy, selected: shownSelected, allChecked, toggle, toggleAll };

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
              <a
                href={exportHref(ws.id, allMatching ? new Set() : selected, { ...filters, tag: p.tag })}
                data-testid="export-leads"
                download
              >
                <Download aria-hidden />
                {selected.size && !allMatching
                  ? `Export ${selected.size} selected`
                  : filtered
                    ? "Export filtered"
                    : "Export"}
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

      <LeadsFilters
        p={p}
        search={search}
        setSearch={setSearch}
        filtered={filtered}
        clearFilters={clearFilters}
      />

      {ws.canWrite && selected.size > 0 && (
        <LeadsBulkBar
          target={allMatching ? { filter: filters, count: total } : { ids: [...selected] }}
          onDone={clearSelection}
          selectAll={
            checkedAll && total > selected.size
              ? { total, filtered, onSelect: () => setAllMatching(true) }
              : undefined
          }
        />
      )}

      <ListStates
        query={list}
        isEmpty={rows.length === 0}
        filtered={filtered}
        icon={Users}
        loading={<LeadsTable {...table} rows={null} busy />}
        errorTitle="The leads could not be loaded"
        noResults={{
          title: "No leads match these filters",
          description: "Try another search, tag or status — or clear the filters to see everyone.",
          onClear: clearFilters,
        }}
        empty={{
          title: "No leads yet",
          description: ws.canWrite
            ? "Import a CSV from your shop or newsletter tool, or add someone by hand."
            : "When your teammates add or import leads, they appear here.",
          action: ws.canWrite && (
            <>
              <Button asChild>
                <Link href={`/${ws.slug}/leads/import`}>
                  <Upload aria-hidden />
                  Import CSV
                </Link>
              </Button>
              <AddLeadDialog testId="add-lead-empty" />
            </>
          ),
        }}
      >
        <LeadsTable {...table} rows={rows} busy={list.isFetching} />
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
      </ListStates>
    </>
  );
}

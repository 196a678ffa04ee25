"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { CalendarDays, FileText, ImageIcon, Sparkles, X } from "lucide-react";
import { ApprovalsLink } from "@/components/approvals/approvals-link";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { LinkButton } from "@/components/ui/link-button";
import { ListStates } from "@/components/ui/list-states";
import { OptionSelect } from "@/components/ui/option-select";
import { PaginationBar } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { nextSort } from "@/components/ui/sort-head";
import { useDebouncedText } from "@/hooks/use-debounce";
import { oneOf, useUrlState } from "@/hooks/use-url-state";
import { CONTENT_SORT_FIELDS } from "@/lib/enums";
import { useTRPC } from "@/lib/trpc/client";
import { CONTENT_STATUS_LIST, CONTENT_TYPE_LIST, STATUS_LABEL, TYPE_META } from "./content-meta";
import { ContentTable } from "./content-table";
import { GenerateDialogButton } from "./generate-dialog-button";
import { NewContentMenu } from "./new-content-menu";

const PAGE_SIZE = 20;
type SortField = (typeof CONTENT_SORT_FIELDS)[number];

/** Filters, sort and page live in the URL, so a reload or a shared link shows the same list. */
function useListParams() {
  const { params, update } = useUrlState();
  return {
    type: oneOf(params.get("type"), CONTENT_TYPE_LIST),
    status: oneOf(params.get("status"), CONTENT_STATUS_LIST),
    q: params.get("q") ?? "",
    sort: oneOf(params.get("sort"), CONTENT_SORT_FIELDS) ?? "createdAt",
    direction: (params.get("dir") === "asc" ? "asc" : "desc") as "asc" | "desc",
    page: Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1),
    update,
  };
}

/** The dialog's trigger: an element, not a component, so the trigger's props and ref reach the button. */
function generateButton(testId?: string) {
  return (
    <Button variant="outline" data-testid={testId}>
      <Sparkles aria-hidden />
      Generate with AI
    </Button>
  );
}

export function ContentList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const p = useListParams();
  // The list follows the search box once typing pauses.
  const [search, setSearch] = useDebouncedText(p.q, (q) => p.update({ q, page: undefined }));

  const input = {
    workspaceId: ws.id,
    type: p.type,
    status: p.status,
    search: p.q || undefined,
    sort: p.sort,
    direction: p.direction,
    limit: PAGE_SIZE,
    offset: (p.page - 1) * PAGE_SIZE,
    grouped: true,
  };
  const list = useQuery({ ...trpc.content.list.queryOptions(input), placeholderData: keepPreviousData });
  const filtered = Boolean(p.type || p.status || p.q);
  const rows = list.data?.content ?? [];
  const total = list.data?.total ?? 0;

  // Titles read best A→Z first, everything else newest/biggest first; a third click: newest first.
  const sortBy = (field: SortField) =>
    p.update({ ...nextSort(p, field, field === "title" ? "asc" : "desc"), page: undefined });
  const clearFilters = () => {
    setSearch("");
    p.update({ type: undefined, status: undefined, q: undefined, page: undefined });
  };

  return (
    <>
      <PageHeader
        title="Content"
        description="Short videos, blog posts and emails — drafts, scheduled and published."
        actions={
          <>
            <ApprovalsLink entityType="content" />
            <LinkButton href={`/${ws.slug}/content/calendar`} icon={CalendarDays}>
              Calendar
            </LinkButton>
            <LinkButton href={`/${ws.slug}/content/media`} icon={ImageIcon}>
              Media library
            </LinkButton>
            {ws.canWrite && (
              <>
                <GenerateDialogButton defaultPlatform={p.type} trigger={generateButton("generate-content")} />
                <NewContentMenu />
              </>
            )}
          </>
        }
      />

      <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-center">
        <SearchInput
          className="sm:max-w-xs sm:flex-1"
          placeholder="Search titles…"
          label="Search by title"
          value={search}
          onChange={setSearch}
          testId="content-search"
        />
        <div className="flex gap-2">
          <OptionSelect
            value={p.type}
            onChange={(type) => p.update({ type, page: undefined })}
            label="Filter by type"
            testId="filter-type"
            none={{ label: "All types", value: "all" }}
            className="w-full sm:w-36"
            options={CONTENT_TYPE_LIST.map((t) => ({ value: t, label: TYPE_META[t].label }))}
          />
          <OptionSelect
            value={p.status}
            onChange={(status) => p.update({ status, page: undefined })}
            label="Filter by status"
            testId="filter-status"
            none={{ label: "All statuses", value: "all" }}
            options={CONTENT_STATUS_LIST.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
            className="w-full sm:w-44"
          />
        </div>
        {filtered && (
          <Button variant="ghost" size="sm" className="self-start sm:self-auto" onClick={clearFilters}>
            <X aria-hidden />
            Clear filters
          </Button>
        )}
      </div>

      <ListStates
        query={list}
        isEmpty={rows.length === 0}
        filtered={filtered}
        icon={FileText}
        loading={<ContentTable p={p} onSort={sortBy} rows={null} busy />}
        errorTitle="The content list could not be loaded"
        noResults={{
          title: "Nothing matches these filters",
          description: "Try another title, type or status — or clear the filters to see everything.",
          onClear: clearFilters,
        }}
        empty={{
          title: "No content yet",
          description: ws.canWrite
            ? "Write a short video for TikTok, YouTube or Instagram, a blog post or an email — or let AI draft one from a product name. Schedule it and it publishes on time."
            : "When your teammates write short videos, blog posts or emails, they appear here.",
          action: ws.canWrite && (
            <>
              <NewContentMenu label="Write something" testId="new-content-empty" />
              <GenerateDialogButton trigger={generateButton()} />
            </>
          ),
        }}
      >
        <ContentTable p={p} onSort={sortBy} rows={rows} busy={list.isFetching} />
      </ListStates>

      {total > 0 && (
        <PaginationBar
          className="mt-2"
          page={p.page}
          pageSize={PAGE_SIZE}
          total={total}
          onPageChange={(page) => p.update({ page: page === 1 ? undefined : page })}
        />
      )}
    </>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { OptionSelect } from "@/components/ui/option-select";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { UrlChanges } from "@/hooks/use-url-state";
import { useTRPC } from "@/lib/trpc/client";
import type { LeadStatus } from "@/server/db/schema";
import { LEAD_STATUS_LABEL, LEAD_STATUS_LIST } from "./lead-meta";

export interface LeadFilterParams {
  tag?: string;
  status?: LeadStatus;
  source?: string;
  customKey?: string;
  customValue: string;
  update: (changes: UrlChanges) => void;
}

/** The search box and the tag, status, source and custom-field filters over the leads table. */
export function LeadsFilters({
  p,
  search,
  setSearch,
  filtered,
  clearFilters,
}: {
  p: LeadFilterParams;
  search: string;
  setSearch: (text: string) => void;
  filtered: boolean;
  clearFilters: () => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const tags = useQuery(trpc.leads.tags.queryOptions({ workspaceId: ws.id }));
  const sources = useQuery(trpc.leads.sources.queryOptions({ workspaceId: ws.id }));
  const fields = useQuery(trpc.leads.fields.list.queryOptions({ workspaceId: ws.id }));
  return (
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
        <OptionSelect
          value={p.tag}
          onChange={(tag) => p.update({ tag })}
          label="Filter by tag"
          testId="filter-tag"
          none={{ label: "All tags", value: "all" }}
          className="w-full sm:w-36"
          options={(tags.data ?? []).map((t) => ({
            value: t.tag,
            label: (
              <>
                {t.tag} <span className="text-muted-foreground">({t.count})</span>
              </>
            ),
          }))}
        />
        <OptionSelect
          value={p.status}
          onChange={(status) => p.update({ status })}
          label="Filter by status"
          testId="filter-status"
          none={{ label: "All statuses", value: "all" }}
          className="w-full sm:w-36"
          options={LEAD_STATUS_LIST.map((s) => ({ value: s, label: LEAD_STATUS_LABEL[s as LeadStatus] }))}
        />
        <OptionSelect
          value={p.source}
          onChange={(source) => p.update({ source })}
          label="Filter by source"
          testId="filter-source"
          none={{ label: "All sources", value: "all" }}
          className="w-full sm:w-36"
          options={(sources.data ?? []).map((s) => ({ value: s.source, label: s.source }))}
        />
        {(fields.data?.length ?? 0) > 0 && (
          <OptionSelect
            value={p.customKey}
            onChange={(cf) => p.update({ cf, cv: undefined })}
            label="Filter by custom field"
            testId="filter-custom"
            none={{ label: "Custom field…", value: "none" }}
            options={(fields.data ?? []).map((d) => ({ value: d.key, label: d.label }))}
            className="w-full sm:w-40"
          />
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

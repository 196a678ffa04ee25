"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc/client";

export function LeadPicker({
  value,
  onPick,
}: {
  value: { id: string; label: string } | null;
  onPick: (lead: { id: string; label: string; name: string | null } | null) => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const results = useQuery({
    ...trpc.leads.list.queryOptions({ workspaceId: ws.id, search: search || undefined, limit: 5 }),
    enabled: search.trim().length > 1,
  });
  if (value) {
    return (
      <div
        className="flex items-center justify-between rounded-md border px-3 py-2 text-sm"
        data-testid="picked-lead"
      >
        <span className="truncate">{value.label}</span>
        <Button type="button" size="sm" variant="ghost" onClick={() => onPick(null)}>
          Change
        </Button>
      </div>
    );
  }
  return (
    <div className="grid gap-1">
      <Input
        id="ff-lead"
        placeholder="Search leads by name or email"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        autoComplete="off"
      />
      {results.data?.items.length ? (
        <ul className="rounded-md border text-sm">
          {results.data.items.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                className="w-full px-3 py-1.5 text-left hover:bg-muted"
                onClick={() =>
                  onPick({ id: l.id, label: l.name ? `${l.name} <${l.email}>` : l.email, name: l.name })
                }
              >
                {l.name ? `${l.name} · ` : ""}
                <span className="text-muted-foreground">{l.email}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

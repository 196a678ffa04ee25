"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { FileText, type LucideIcon, Mail, UserRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { NAV_ITEMS } from "@/components/dashboard/nav";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import {
  Command,
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from "@/components/ui/command";
import { useDebouncedValue } from "@/hooks/use-debounce";
import { useTRPC } from "@/lib/trpc/client";

interface Item {
  id: string;
  label: string;
  detail: string | null;
  path: string;
}

/** The navigation line a page sits under, for its icon ("/leads/segments" → Leads' icon). */
function pageIcon(path: string): LucideIcon {
  const lines = NAV_ITEMS.flatMap((i) => [i, ...(i.children ?? [])]);
  const match = lines
    .filter((i) => (i.path === "" ? path === "" : path === i.path || path.startsWith(`${i.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return match?.icon ?? FileText;
}

const GROUPS = [
  { kind: "leads", heading: "Leads", icon: UserRound },
  { kind: "content", heading: "Content", icon: FileText },
  { kind: "campaigns", heading: "Campaigns", icon: Mail },
] as const;

/**
 * ⌘K: jump to a page, lead, post or campaign of this workspace. The server searches (one
 * workspace-scoped query, pages filtered by role and ENABLE_* flags); typing is debounced. Loaded
 * on first open (components/command-palette/command-palette-button.tsx), never with the page.
 */
export function CommandPalette({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (v: boolean) => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const [text, setText] = useState("");
  const query = useDebouncedValue(text.trim(), 150);
  const [selected, setSelected] = useState("");
  const search = useQuery({
    ...trpc.palette.search.queryOptions({ workspaceId: ws.id, query }),
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const r = search.data;

  // New results select their first line, so Enter opens the best match.
  useEffect(() => {
    if (!r) return;
    const kind = (["pages", "leads", "content", "campaigns"] as const).find((k) => r[k].length > 0);
    setSelected(kind ? `${kind}:${r[kind][0]!.id}` : "");
  }, [r]);

  const go = (path: string) => {
    onOpenChange(false);
    setText("");
    router.push(`/${ws.slug}${path}`);
  };
  const line = (value: string, item: Item, Icon: LucideIcon) => (
    <CommandItem
      key={value}
      value={value}
      onSelect={() => go(item.path)}
      data-testid={`palette-item-${value}`}
    >
      <Icon aria-hidden />
      <span className="truncate">{item.label}</span>
      {item.detail && (
        <span className="ml-auto truncate pl-3 text-xs text-muted-foreground">{item.detail}</span>
      )}
    </CommandItem>
  );

  return (
    <CommandDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Go to"
      description="Search pages, leads, content and campaigns of this workspace"
    >
      <Command shouldFilter={false} value={selected} onValueChange={setSelected} loop label="Go to">
        <CommandInput
          value={text}
          onValueChange={setText}
          placeholder="Search pages, leads, content, campaigns…"
          data-testid="palette-input"
          maxLength={100}
        />
        <CommandList>
          {r && !search.isPlaceholderData && (
            <CommandEmpty>{query ? `Nothing matches “${query}”.` : "No pages."}</CommandEmpty>
          )}
          {!r && <p className="py-6 text-center text-sm text-muted-foreground">Searching…</p>}
          {r && r.pages.length > 0 && (
            <CommandGroup heading="Pages">
              {r.pages.map((p) => line(`pages:${p.id}`, { ...p, detail: p.section }, pageIcon(p.path)))}
            </CommandGroup>
          )}
          {r &&
            GROUPS.map(({ kind, heading, icon }) =>
              r[kind].length > 0 ? (
                <CommandGroup key={kind} heading={heading}>
                  {r[kind].map((item) => line(`${kind}:${item.id}`, item, icon))}
                </CommandGroup>
              ) : null,
            )}
        </CommandList>
        <div className="flex items-center gap-3 border-t px-3 py-2 text-xs text-muted-foreground">
          <span>↑↓ to move</span>
          <span>↵ to open</span>
          <span>Esc to close</span>
        </div>
      </Command>
    </CommandDialog>
  );
}

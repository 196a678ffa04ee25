"use client";

import { useQuery } from "@tanstack/react-query";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import Link from "next/link";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/lazy-dropdown-menu";
import { useTRPC } from "@/lib/trpc/client";
import { initials } from "@/lib/utils";
import { useWorkspace } from "./workspace-context";

function WorkspaceAvatar({ name, logoUrl }: { name: string; logoUrl: string | null }) {
  return (
    <Avatar className="size-6 rounded-md">
      {logoUrl && <AvatarImage src={logoUrl} alt="" />}
      <AvatarFallback className="rounded-md bg-primary text-[10px] font-semibold text-primary-foreground">
        {initials(name)}
      </AvatarFallback>
    </Avatar>
  );
}

export function WorkspaceSwitcher() {
  const ws = useWorkspace();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          className="h-9 min-w-0 max-w-56 shrink justify-start gap-2 px-2"
          data-testid="workspace-switcher"
        >
          <WorkspaceAvatar name={ws.name} logoUrl={ws.logoUrl} />
          <span className="truncate font-medium">{ws.name}</span>
          <ChevronsUpDown className="ml-auto size-4 opacity-50" aria-hidden />
          <span className="sr-only">Switch workspace</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel className="text-xs text-muted-foreground">Workspaces</DropdownMenuLabel>
        <WorkspaceItems />
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/onboarding?new=1" className="flex items-center gap-2">
            <Plus className="size-4" aria-hidden /> New workspace
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

/** The member's workspaces, asked for when the menu first opens (not with every page). */
function WorkspaceItems() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const { data: workspaces } = useQuery(trpc.workspace.list.queryOptions());
  return (
    <>
      {(workspaces ?? [{ ...ws }]).map((w) => (
        <DropdownMenuItem key={w.id} asChild>
          <Link href={`/${w.slug}`} className="flex items-center gap-2">
            <WorkspaceAvatar name={w.name} logoUrl={w.logoUrl} />
            <span className="truncate">{w.name}</span>
            <span className="ml-auto text-xs capitalize text-muted-foreground">{w.role}</span>
            {w.id === ws.id && <Check className="size-4" aria-label="current" />}
          </Link>
        </DropdownMenuItem>
      ))}
    </>
  );
}

"use client";

import { Plus } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/lazy-dropdown-menu";
import { contentTypeIsOn } from "@/lib/features";
import { CONTENT_TYPE_LIST, TYPE_META } from "./content-meta";

/** "New" with a choice of content type; `date` pre-fills the day (from the calendar). */
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
        {CONTENT_TYPE_LIST.filter((t) => contentTypeIsOn(t, ws.features)).map((t) => {
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

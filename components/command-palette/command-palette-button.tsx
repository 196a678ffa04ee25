"use client";

import { Search } from "lucide-react";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

// Loaded on first open: the palette (cmdk, its queries) stays out of every page's first load.
const CommandPalette = dynamic(() => import("./command-palette").then((m) => m.CommandPalette), {
  ssr: false,
});

/** The top bar's search button and the ⌘K / Ctrl+K shortcut that open the command palette. */
export function CommandPaletteButton() {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  const [mac, setMac] = useState(false);
  useEffect(() => {
    setMac(/Mac|iPhone|iPad/.test(navigator.platform));
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === "k" && (e.metaKey || e.ctrlKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        setWanted(true);
        setOpen((v) => !v);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className="h-8 gap-2 px-2 text-muted-foreground sm:w-56 sm:justify-start"
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
        aria-keyshortcuts="Meta+K Control+K"
        data-testid="palette-open"
      >
        <Search className="size-4" aria-hidden />
        {/* Its name is its text (shown from sm up, read out on phones too) and the shortcut. */}
        <span className="sr-only sm:not-sr-only">Search…</span>
        <kbd className="ml-auto hidden rounded border bg-muted px-1.5 font-mono text-[10px] sm:inline">
          {mac ? "⌘K" : "Ctrl K"}
        </kbd>
      </Button>
      {wanted && <CommandPalette open={open} onOpenChange={setOpen} />}
    </>
  );
}

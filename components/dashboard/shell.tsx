"use client";

import { Menu } from "lucide-react";
import Link from "next/link";
import { type ReactNode, useState } from "react";
import { Logo } from "@/components/brand/logo";
import { CommandPaletteButton } from "@/components/command-palette/command-palette-button";
import { NotificationBell } from "@/components/notifications/bell";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useLiveEvents } from "@/hooks/use-live-events";
import type { MobileNav as MobileNavType } from "./mobile-nav";
import { SidebarNav } from "./sidebar-nav";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";
import { useWorkspace } from "./workspace-context";
import { WorkspaceSwitcher } from "./workspace-switcher";

const loadMobileNav = () => import("./mobile-nav");

export function DashboardShell({
  user,
  children,
}: {
  user: { name: string | null; email: string };
  children: ReactNode;
}) {
  const ws = useWorkspace();
  const [open, setOpen] = useState(false);
  // The drawer (and its dialog library) loads when first opened: wide screens never need it.
  const [Nav, setNav] = useState<typeof MobileNavType | null>(null);
  useLiveEvents(ws.id);
  return (
    <div className="flex min-h-dvh">
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 flex-col border-r border-sidebar-border bg-sidebar p-3 md:flex">
        <Link href={`/${ws.slug}`} className="mb-6 px-2 pt-1">
          <Logo />
        </Link>
        <SidebarNav slug={ws.slug} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/90 px-3 backdrop-blur sm:px-4">
          <Button
            variant="ghost"
            size="icon"
            className="md:hidden"
            aria-label="Open navigation"
            aria-haspopup="dialog"
            aria-expanded={open}
            onPointerEnter={() => void loadMobileNav()}
            onClick={() =>
              void loadMobileNav()
                .then(({ MobileNav }) => setNav(() => MobileNav))
                .then(() => setOpen(true))
            }
          >
            <Menu className="size-5" aria-hidden />
          </Button>
          {Nav && <Nav slug={ws.slug} open={open} onOpenChange={setOpen} />}
          <WorkspaceSwitcher />
          {ws.role === "viewer" && (
            <Badge variant="secondary" className="hidden sm:inline-flex" data-testid="read-only-badge">
              Read-only
            </Badge>
          )}
          <div className="ml-auto flex items-center gap-1">
            <CommandPaletteButton />
            <NotificationBell />
            <ThemeToggle />
            <UserMenu user={user} slug={ws.slug} />
          </div>
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 lg:py-8">{children}</main>
      </div>
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description && <p className="mt-1 text-sm text-muted-foreground">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

"use client";

import { Logo } from "@/components/brand/logo";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { SidebarNav } from "./sidebar-nav";

/** The navigation drawer of narrow screens (loaded by the header's menu button when first opened). */
export function MobileNav({
  slug,
  open,
  onOpenChange,
}: {
  slug: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Sheet open={open} onOpenChange={onOpenChange}>
      <SheetContent side="left" className="w-64 bg-sidebar p-3">
        <SheetHeader className="px-2">
          <SheetTitle>
            <Logo />
          </SheetTitle>
          <SheetDescription className="sr-only">Main navigation</SheetDescription>
        </SheetHeader>
        <SidebarNav slug={slug} onNavigate={() => onOpenChange(false)} />
      </SheetContent>
    </Sheet>
  );
}

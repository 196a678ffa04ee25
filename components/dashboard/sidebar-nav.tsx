"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import { type NavItem, navItemsFor } from "./nav";
import { useWorkspace } from "./workspace-context";

export function SidebarNav({ slug, onNavigate }: { slug: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  const { features } = useWorkspace();
  const link = (item: NavItem, active: boolean, nested = false) => (
    <Link
      key={item.label}
      href={`/${slug}${item.path}`}
      onClick={onNavigate}
      aria-current={active ? "page" : undefined}
      className={cn(
        "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-sidebar-foreground/80 transition-colors hover:bg-sidebar-accent hover:text-sidebar-foreground",
        nested && "ml-7 py-1.5 text-[13px]",
        active && "bg-sidebar-accent text-sidebar-foreground",
      )}
    >
      <item.icon className="size-4 shrink-0" aria-hidden />
      {item.label}
    </Link>
  );
  const under = (path: string) => {
    const href = `/${slug}${path}`;
    return path === "" ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  };
  return (
    <nav aria-label="Main" className="grid gap-1">
      {navItemsFor(features).map((item) => {
        const children = item.children ?? [];
        // A parent is the current page unless one of its own lines is.
        const childActive = children.some((c) => under(c.path));
        return [
          link(item, under(item.path) && !childActive),
          ...children.map((c) => link(c, under(c.path), true)),
        ];
      })}
    </nav>
  );
}

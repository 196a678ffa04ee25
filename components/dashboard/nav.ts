import {
  BarChart3,
  FileText,
  Filter,
  LayoutDashboard,
  Link2,
  type LucideIcon,
  Mail,
  Plug,
  Settings,
  Truck,
  Users,
} from "lucide-react";
import { type Feature, pageIsOn } from "@/lib/features";

export interface NavItem {
  label: string;
  /** Path below /[workspace]; "" is the overview. */
  path: string;
  icon: LucideIcon;
  /** Pages under this one that get their own line beneath it (e.g. Leads → Segments). */
  children?: NavItem[];
}

export const NAV_ITEMS: NavItem[] = [
  { label: "Overview", path: "", icon: LayoutDashboard },
  {
    label: "Content",
    path: "/content",
    icon: FileText,
    children: [{ label: "Links", path: "/content/links", icon: Link2 }],
  },
  { label: "Email", path: "/email", icon: Mail },
  {
    label: "Leads",
    path: "/leads",
    icon: Users,
    children: [{ label: "Segments", path: "/leads/segments", icon: Filter }],
  },
  { label: "Fulfillment", path: "/fulfillment", icon: Truck },
  { label: "Analytics", path: "/analytics", icon: BarChart3 },
  { label: "Integrations", path: "/integrations", icon: Plug },
  { label: "Settings", path: "/settings", icon: Settings },
];

/** The main navigation with the pages of switched-off parts left out (lib/features.ts). */
export function navItemsFor(enabled: readonly Feature[]): NavItem[] {
  return NAV_ITEMS.filter((item) => pageIsOn(item.path, enabled)).map((item) =>
    item.children ? { ...item, children: item.children.filter((c) => pageIsOn(c.path, enabled)) } : item,
  );
}

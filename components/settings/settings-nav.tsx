"use client";

import { useQuery } from "@tanstack/react-query";
import {
  Activity,
  Coins,
  FileInput,
  KeyRound,
  ListOrdered,
  MailCheck,
  Send,
  Server,
  Settings2,
  ShieldCheck,
  Sparkles,
  UserRound,
  UsersRound,
  Webhook,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { pageIsOn } from "@/lib/features";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";

export const SETTINGS_TABS = [
  { label: "General", path: "", icon: Settings2 },
  { label: "Brand", path: "/brand", icon: Sparkles },
  { label: "Posting queue", path: "/queue", icon: ListOrdered },
  { label: "Members", path: "/members", icon: UsersRound },
  { label: "Sending", path: "/sending", icon: Send },
  { label: "Delivery", path: "/delivery", icon: MailCheck },
  { label: "Forms", path: "/forms", icon: FileInput },
  { label: "Attribution", path: "/attribution", icon: Coins },
  { label: "API keys", path: "/api-keys", icon: KeyRound },
  { label: "Webhooks", path: "/webhooks", icon: Webhook },
  { label: "Activity", path: "/activity", icon: Activity },
  { label: "Profile", path: "/profile", icon: UserRound },
  { label: "Security", path: "/security", icon: ShieldCheck },
  { label: "Instance", path: "/instance", icon: Server },
] as const;

export function SettingsNav() {
  const { slug, features } = useWorkspace();
  const pathname = usePathname();
  const trpc = useTRPC();
  // Instance admins run the install: only they see its tab.
  const instanceAdmin = useQuery(trpc.instance.me.queryOptions()).data?.instanceAdmin === true;
  const base = `/${slug}/settings`;
  return (
    <nav aria-label="Settings" className="-mx-4 mb-6 border-b sm:mx-0">
      <ul className="flex gap-1 overflow-x-auto px-4 [scrollbar-width:none] sm:px-0 [&::-webkit-scrollbar]:hidden">
        {SETTINGS_TABS.filter(
          (tab) => pageIsOn(`/settings${tab.path}`, features) && (tab.path !== "/instance" || instanceAdmin),
        ).map((tab) => {
          const href = `${base}${tab.path}`;
          const active = pathname === href;
          return (
            <li key={tab.label} className="shrink-0">
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                data-testid={`settings-tab-${tab.label.toLowerCase()}`}
                className={cn(
                  "relative flex items-center gap-2 rounded-t-md px-3 pt-2 pb-3 text-sm font-medium text-muted-foreground outline-none transition-colors hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:ring-inset",
                  "after:absolute after:inset-x-2 after:-bottom-px after:h-0.5 after:rounded-full after:bg-transparent",
                  active && "text-foreground after:bg-primary",
                )}
              >
                <tab.icon className="hidden size-4 sm:block" aria-hidden />
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

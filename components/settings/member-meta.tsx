import type { LucideIcon } from "lucide-react";
import type { ComponentProps } from "react";
import { relativeTime } from "@/components/content/zoned-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { Role } from "@/server/db/schema";
import { ROLE_LABELS } from "./roles";

export interface Member {
  id: string;
  role: Role;
  joinedAt: Date;
  user: { id: string; name: string | null; email: string; avatarUrl: string | null };
}

const ROLE_BADGE: Record<Role, "default" | "secondary" | "outline"> = {
  owner: "default",
  admin: "secondary",
  member: "outline",
  viewer: "outline",
};

export function formatDate(d: Date, timeZone: string) {
  try {
    return d.toLocaleDateString("en-US", { dateStyle: "medium", timeZone });
  } catch {
    return d.toLocaleDateString("en-US", { dateStyle: "medium" });
  }
}

export function fromNow(d: Date) {
  const hours = (d.getTime() - Date.now()) / 3_600_000;
  return Math.abs(hours) < 48
    ? relativeTime(Math.round(hours), "hour")
    : relativeTime(Math.round(hours / 24), "day");
}

export function RoleBadge({ role }: { role: Role }) {
  return <Badge variant={ROLE_BADGE[role]}>{ROLE_LABELS[role]}</Badge>;
}

/**
 * The quiet "Remove"-style button of a member or invitation row that opens its confirmation; the
 * icon alone on small screens, and `target` is read out after the action.
 */
export function RowRemoveButton({
  icon: Icon,
  action,
  target,
  ...props
}: ComponentProps<typeof Button> & { icon: LucideIcon; action: string; target: string }) {
  return (
    <Button variant="ghost" size="sm" className="text-muted-foreground hover:text-destructive" {...props}>
      <Icon aria-hidden />
      <span className="sr-only sm:not-sr-only">{action}</span>
      <span className="sr-only"> {target}</span>
    </Button>
  );
}

import { describeAction } from "@/lib/activity-labels";
import { formatDateTime } from "@/lib/utils";

interface Item {
  id: string;
  action: string;
  createdAt: Date;
  metadata: Record<string, unknown>;
  user: { name: string | null; email: string } | null;
}

export function ActivityFeed({ items, timeZone }: { items: Item[]; timeZone: string }) {
  if (items.length === 0)
    return <p className="text-sm text-muted-foreground">Nothing has happened here yet.</p>;
  return (
    <ol className="grid gap-3">
      {items.map((a) => (
        <li key={a.id} className="text-sm">
          <p>
            <span className="font-medium">{a.user?.name || a.user?.email || "System"}</span>{" "}
            <span className="text-muted-foreground">{describeAction(a.action, a.metadata)}</span>
          </p>
          <time className="text-xs text-muted-foreground" dateTime={a.createdAt.toISOString()}>
            {formatDateTime(a.createdAt, timeZone)}
          </time>
        </li>
      ))}
    </ol>
  );
}

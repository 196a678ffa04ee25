import { describeAction } from "@/lib/activity-labels";

interface Item {
  id: string;
  action: string;
  createdAt: Date;
  metadata: Record<string, unknown>;
  user: { name: string | null; email: string } | null;
}

export function ActivityFeed({ items }: { items: Item[] }) {
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
            {a.createdAt.toLocaleString("en-US", {
              dateStyle: "medium",
              timeStyle: "short",
              timeZone: "UTC",
            })}{" "}
            UTC
          </time>
        </li>
      ))}
    </ol>
  );
}

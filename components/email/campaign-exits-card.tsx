import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { EnrollmentExits } from "@/server/services/email/goals";

const ROWS: { key: keyof EnrollmentExits; label: string }[] = [
  { key: "active", label: "Still in the sequence" },
  { key: "completed", label: "Received every email" },
  { key: "converted", label: "Left: placed an order (goal)" },
  { key: "replied", label: "Left: replied (goal)" },
  { key: "unsubscribed", label: "Left: unsubscribed" },
  { key: "bounced", label: "Left: bounced" },
  { key: "complained", label: "Left: marked as spam" },
  { key: "removed", label: "Left: removed" },
];

/** A sequence's or triggered campaign's leads: where they are, and why those who left did. */
export function CampaignExitsCard({ exits }: { exits: EnrollmentExits }) {
  return (
    <Card className="mt-6" data-testid="report-exits">
      <CardHeader>
        <CardTitle>Enrolled leads</CardTitle>
        <CardDescription>How many are still going, finished, or left — and why.</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-8 gap-y-2 sm:grid-cols-2">
          {ROWS.map((r) => (
            <div
              key={r.key}
              className="flex justify-between gap-4 border-b py-1 text-sm"
              data-testid={`exits-${r.key}`}
            >
              <dt className="text-muted-foreground">{r.label}</dt>
              <dd className="font-medium tabular-nums">{exits[r.key].toLocaleString()}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}

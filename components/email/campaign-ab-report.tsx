"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trophy } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TableHeadRow } from "@/components/ui/data-table-parts";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { AbTestReport } from "@/server/services/email/ab-test";
import { formatWait } from "./campaign-ab-test-settings";
import { percent } from "./campaign-meta";

function when(at: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(at);
}

/** What the test is doing now, in one sentence. */
function summary(t: AbTestReport, timeZone: string) {
  const share = `${t.testSize.toLocaleString()} of ${(t.audienceSize ?? t.testSize).toLocaleString()} people (${t.sharePercent} %)`;
  if (t.phase === "testing") {
    return `Testing on ${share}. The variant with the most ${t.metric === "opens" ? "people opening" : "people clicking"} is sent to the rest${t.testEndsAt ? ` on ${when(t.testEndsAt, timeZone)}` : ""}.`;
  }
  const how = t.decidedBy === "manual" ? "picked by hand" : `chosen by ${t.metric}`;
  return `Tested on ${share}. Variant ${t.winnerLabel} won (${how})${t.decidedAt ? ` on ${when(t.decidedAt, timeZone)}` : ""} and went to ${(t.restSize ?? 0).toLocaleString()} more people.`;
}

/** The report's A/B section: one row per variant with exact counts, the winner, "Pick winner now". */
export function AbTestReportCard({ campaignId, test }: { campaignId: string; test: AbTestReport }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const decide = useMutation(
    trpc.emailAbTest.decide.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Winner chosen: sending it to ${r.created.toLocaleString()} more people`);
        await queryClient.invalidateQueries({ queryKey: trpc.email.campaigns.report.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const canPick = ws.canAdmin && test.phase === "testing";
  return (
    <Card className="mt-6" data-testid="ab-test-report">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          A/B test
          <Badge variant={test.phase === "testing" ? "default" : "outline"} data-testid="ab-test-phase">
            {test.phase === "testing" ? "Testing" : "Decided"}
          </Badge>
        </CardTitle>
        <CardDescription data-testid="ab-test-summary">
          {summary(test, ws.timeZone)}
          {test.phase === "testing" ? ` Waits ${formatWait(test.waitMinutes)}.` : ""} Opens and clicks count
          people, not machine prefetches.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeadRow
            columns={[
              { label: "Variant" },
              { label: "Sent", className: "text-right" },
              { label: "Delivered", className: "text-right" },
              { label: "Unique opens", className: "text-right" },
              { label: "Unique clicks", className: "text-right" },
              ...(canPick ? [{ label: "", className: "w-0" }] : []),
            ]}
          />
          <TableBody>
            {test.variants.map((v) => {
              const winner = v.id === test.winnerVariantId;
              return (
                <TableRow key={v.id} data-testid={`ab-variant-${v.label}`} data-winner={winner || undefined}>
                  <TableCell className="max-w-72">
                    <div className="flex items-center gap-2">
                      <span className="font-semibold">{v.label}</span>
                      {winner && (
                        <Badge variant="secondary" className="gap-1">
                          <Trophy aria-hidden className="size-3" />
                          Winner
                        </Badge>
                      )}
                    </div>
                    <p className="truncate text-xs text-muted-foreground" title={v.subject}>
                      {v.subject}
                    </p>
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="ab-sent">
                    {v.sent.toLocaleString()}
                    {v.pending > 0 && (
                      <span className="block text-xs text-muted-foreground">
                        {v.pending.toLocaleString()} queued
                      </span>
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{v.delivered.toLocaleString()}</TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="ab-opens">
                    {v.uniqueOpens.toLocaleString()} ({percent(v.openRate)})
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="ab-clicks">
                    {v.uniqueClicks.toLocaleString()} ({percent(v.clickRate)})
                  </TableCell>
                  {canPick && (
                    <TableCell className="text-right">
                      <ConfirmDialog
                        trigger={
                          <Button size="sm" variant="outline" data-testid={`ab-pick-${v.label}`}>
                            Pick winner now
                          </Button>
                        }
                        title={`Send variant ${v.label} to the rest?`}
                        description="The test ends now: everyone in the audience who has not been mailed yet gets this variant. This cannot be undone."
                        confirmLabel={`Send variant ${v.label}`}
                        confirmTestId="ab-pick-confirm"
                        pending={decide.isPending}
                        onConfirm={() => decide.mutate({ workspaceId: ws.id, campaignId, variantId: v.id })}
                      />
                    </TableCell>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

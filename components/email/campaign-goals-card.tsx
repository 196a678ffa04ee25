"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CardSection } from "@/components/ui/card-section";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

const GOALS = [
  {
    key: "stopOnOrder",
    label: "Stop when the lead places an order",
    hint: "An order from the address this campaign mails (any store or the API) ends the lead's sequence.",
  },
  {
    key: "stopOnReply",
    label: "Stop when the lead replies",
    hint: "A reply seen in the bounce mailbox (Settings → Delivery) ends the lead's sequence.",
  },
] as const;

/**
 * The goals of a sequence or triggered campaign: a lead who converts or replies leaves it, and its
 * remaining emails are not sent. Saved on toggle, at any status (a goal only ever stops mail).
 */
export function CampaignGoalsCard({ campaignId }: { campaignId: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const goals = useQuery(trpc.bounces.goals.queryOptions({ workspaceId: ws.id, id: campaignId }));
  const save = useMutation(
    trpc.bounces.updateGoals.mutationOptions({
      onSuccess: async () => {
        toast.success("Goals saved");
        await qc.invalidateQueries({ queryKey: trpc.bounces.goals.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const readOnly = !ws.canWrite;

  return (
    <CardSection
      title="Goals"
      description="When a lead reaches a goal, they leave this campaign and get none of its remaining emails. The report shows how many left for each reason."
      contentClassName="grid gap-4"
      data-testid="campaign-goals-card"
    >
      {!goals.data ? (
        <Skeleton className="h-16 w-full" />
      ) : (
        GOALS.map((g) => (
          <div key={g.key} className="flex items-start gap-3">
            <Switch
              id={`goal-${g.key}`}
              checked={goals.data[g.key]}
              disabled={readOnly || save.isPending}
              onCheckedChange={(on) =>
                save.mutate({ workspaceId: ws.id, id: campaignId, ...goals.data, [g.key]: on })
              }
              data-testid={`goal-${g.key}`}
            />
            <div className="grid gap-1">
              <Label htmlFor={`goal-${g.key}`}>{g.label}</Label>
              <p className="text-sm text-muted-foreground">{g.hint}</p>
            </div>
          </div>
        ))
      )}
    </CardSection>
  );
}

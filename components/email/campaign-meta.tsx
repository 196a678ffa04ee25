import { Badge } from "@/components/ui/badge";
import type { CampaignStatus, CampaignType } from "@/lib/enums";

export const TYPE_LABEL: Record<CampaignType, string> = {
  "one-time": "One-time",
  sequence: "Sequence",
  triggered: "Triggered",
};

export const TYPE_DESCRIPTION: Record<CampaignType, string> = {
  "one-time": "One email to a segment, sent now or at a time you pick.",
  sequence: "Several emails with delays; leads who enter the segment are enrolled.",
  triggered: "Starts for a lead when something happens: created, tagged, form submitted.",
};

const STATUS_VARIANT: Record<CampaignStatus, "default" | "secondary" | "outline" | "destructive"> = {
  draft: "secondary",
  scheduled: "outline",
  sending: "default",
  sent: "outline",
  active: "default",
  paused: "secondary",
  cancelled: "destructive",
};

export function CampaignStatusBadge({ status, testId }: { status: CampaignStatus; testId?: string }) {
  return (
    <Badge variant={STATUS_VARIANT[status]} data-testid={testId} data-status={status} className="capitalize">
      {status}
    </Badge>
  );
}

export const percent = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;

/** Which lifecycle actions are legal from each status and type (mirrors the server's transitions). */
export function legalActions(type: CampaignType, status: CampaignStatus) {
  const oneTime = type === "one-time";
  return {
    sendNow: oneTime && (status === "draft" || status === "scheduled"),
    schedule: oneTime && (status === "draft" || status === "scheduled"),
    unschedule: oneTime && status === "scheduled",
    activate: !oneTime && (status === "draft" || status === "paused"),
    pause: status === "sending" || status === "active",
    resume: status === "paused",
    cancel: status !== "sent" && status !== "cancelled",
    edit: status === "draft" || status === "scheduled" || status === "paused",
    delete: status !== "sending" && status !== "active",
  };
}

export const nativeSelect =
  "h-9 w-full rounded-md border border-input bg-transparent px-2 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:opacity-50 dark:bg-input/30";

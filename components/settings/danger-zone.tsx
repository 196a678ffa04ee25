"use client";
import { LogOut } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { LeaveWorkspaceDialog } from "./leave-workspace-dialog";

export function DangerZone() {
  const ws = useWorkspace();
  return (
    <CardSection
      className="border-destructive/40"
      role="region"
      aria-labelledby="danger-zone-title"
      title="Danger zone"
      titleId="danger-zone-title"
      titleClassName="text-destructive"
      description="Actions here take effect immediately."
      contentClassName="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between"
    >
      <div className="min-w-0">
        <p className="font-medium text-sm">Leave workspace</p>
        <p className="text-sm text-muted-foreground">
          Remove yourself from {ws.name}.
          {ws.isOwner && " If you are its only owner, make someone else owner first."}
        </p>
      </div>
      <LeaveWorkspaceDialog
        trigger={
          <Button
            variant="outline"
            className="border-destructive/50 text-destructive hover:bg-destructive/10 hover:text-destructive dark:border-destructive/50"
            data-testid="leave-workspace"
          >
            <LogOut aria-hidden /> Leave workspace
          </Button>
        }
      />
    </CardSection>
  );
}

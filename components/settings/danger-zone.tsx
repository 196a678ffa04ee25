"use client";
import { LogOut } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { LeaveWorkspaceDialog } from "./leave-workspace-dialog";

export function DangerZone() {
  const ws = useWorkspace();
  return (
    <Card className="border-destructive/40" role="region" aria-labelledby="danger-zone-title">
      <CardHeader>
        <CardTitle id="danger-zone-title" className="text-destructive">
          Danger zone
        </CardTitle>
        <CardDescription>Actions here take effect immediately.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
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
      </CardContent>
    </Card>
  );
}

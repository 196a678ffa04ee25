"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailX, UsersRound } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { CardSection } from "@/components/ui/card-section";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { HiddenHead } from "@/components/ui/data-table-parts";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import { CardLoadError } from "./card-list-states";
import { fromNow, RoleBadge, RowRemoveButton } from "./member-meta";

export function InvitationsCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const invitations = useQuery(trpc.workspace.invitations.list.queryOptions({ workspaceId: ws.id }));
  const pending = invitations.data?.filter((i) => i.status === "pending") ?? [];

  return (
    <CardSection
      title="Pending invitations"
      description="Invitations that have not been accepted or declined yet."
      contentClassName="px-0 sm:px-6"
    >
      {invitations.isPending ? (
        <div className="grid gap-3 px-6 sm:px-0" aria-busy="true">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : invitations.isError ? (
        <CardLoadError query={invitations} />
      ) : pending.length === 0 ? (
        <EmptyState
          className="mx-6 sm:mx-0"
          icon={UsersRound}
          title="No pending invitations"
          description="Invite teammates with the Invite member button; their invitations show up here until they respond."
        />
      ) : (
        <Table data-testid="invitations-table" aria-label="Pending invitations">
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-6 sm:pl-2">Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Invited by</TableHead>
              <TableHead>Expires</TableHead>
              <HiddenHead label="Actions" className="pr-6 text-right sm:pr-2" />
            </TableRow>
          </TableHeader>
          <TableBody>
            {pending.map((inv) => {
              const expired = inv.expiresAt.getTime() <= Date.now();
              return (
                <TableRow key={inv.id} data-testid={`invitation-row-${inv.email}`}>
                  <TableCell className="max-w-64 truncate pl-6 font-medium sm:pl-2">{inv.email}</TableCell>
                  <TableCell>
                    <RoleBadge role={inv.role} />
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {inv.invitedBy?.name || inv.invitedBy?.email || "—"}
                  </TableCell>
                  <TableCell>
                    {expired ? (
                      <Badge variant="warning">Expired</Badge>
                    ) : (
                      <time
                        dateTime={inv.expiresAt.toISOString()}
                        title={formatDateTime(inv.expiresAt, ws.timeZone)}
                        className="text-muted-foreground"
                      >
                        {fromNow(inv.expiresAt)}
                      </time>
                    )}
                  </TableCell>
                  <TableCell className="pr-6 text-right sm:pr-2">
                    <RevokeInvitationButton invitation={inv} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </CardSection>
  );
}

function RevokeInvitationButton({ invitation }: { invitation: { id: string; email: string } }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation(
    trpc.workspace.invitations.revoke.mutationOptions({
      onSuccess: async () => {
        toast.success(`Invitation for ${invitation.email} revoked`);
        setOpen(false);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.workspace.invitations.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.workspace.activity.list.queryKey() }),
        ]);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => !revoke.isPending && setOpen(next)}
      trigger={
        <RowRemoveButton
          icon={MailX}
          action="Revoke"
          target={`invitation for ${invitation.email}`}
          data-testid={`revoke-invitation-${invitation.email}`}
        />
      }
      title="Revoke this invitation?"
      description={`The link sent to ${invitation.email} stops working. You can invite them again at any time.`}
      cancelLabel="Keep it"
      confirmLabel="Revoke invitation"
      destructive
      pending={revoke.isPending}
      keepOpen
      onConfirm={() => revoke.mutate({ workspaceId: ws.id, invitationId: invitation.id })}
    />
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LogOut, UserMinus } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { TableCell, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime, initials } from "@/lib/utils";
import type { Role } from "@/server/db/schema";
import { LeaveWorkspaceDialog } from "./leave-workspace-dialog";
import { formatDate, type Member, RoleBadge, RowRemoveButton } from "./member-meta";
import { assignableRoles, ROLE_LABELS } from "./roles";

export function MemberRow({ member: m, meId }: { member: Member; meId: string | undefined }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isMe = m.user.id === meId;
  const editable = ws.canAdmin && meId !== undefined && !isMe && (m.role !== "owner" || ws.isOwner);
  const label = m.user.name || m.user.email;

  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.workspace.members.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.workspace.activity.list.queryKey() }),
    ]);

  const changeRole = useMutation(
    trpc.workspace.members.changeRole.mutationOptions({
      onSuccess: async (row) => {
        toast.success(`${label} is now ${ROLE_LABELS[row.role].toLowerCase()}`);
        await invalidate();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  return (
    <TableRow data-testid={`member-row-${m.user.email}`}>
      <TableCell className="pl-6 sm:pl-2">
        <div className="flex min-w-0 items-center gap-3">
          <Avatar className="size-8">
            {m.user.avatarUrl && <AvatarImage src={m.user.avatarUrl} alt="" />}
            <AvatarFallback className="font-semibold">{initials(m.user.name, m.user.email)}</AvatarFallback>
          </Avatar>
          <div className="min-w-0">
            <p className="flex items-center gap-2 font-medium">
              <span className="max-w-48 truncate">{m.user.name || m.user.email.split("@")[0]}</span>
              {isMe && (
                <Badge variant="outline" className="px-1.5 text-[10px] text-muted-foreground">
                  You
                </Badge>
              )}
            </p>
            <p className="max-w-64 truncate text-muted-foreground text-xs">{m.user.email}</p>
          </div>
        </div>
      </TableCell>
      <TableCell>
        {editable ? (
          <Select
            value={m.role}
            disabled={changeRole.isPending}
            onValueChange={(role) =>
              changeRole.mutate({ workspaceId: ws.id, memberId: m.id, role: role as Role })
            }
          >
            <SelectTrigger
              size="sm"
              className="w-28"
              aria-label={`Role of ${label}`}
              data-testid={`role-select-${m.user.email}`}
            >
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {assignableRoles(ws.role).map((r) => (
                <SelectItem key={r} value={r}>
                  {ROLE_LABELS[r]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        ) : (
          <RoleBadge role={m.role} />
        )}
      </TableCell>
      <TableCell className="text-muted-foreground">
        <time dateTime={m.joinedAt.toISOString()} title={formatDateTime(m.joinedAt, ws.timeZone)}>
          {formatDate(m.joinedAt, ws.timeZone)}
        </time>
      </TableCell>
      <TableCell className="pr-6 text-right sm:pr-2">
        {editable && <RemoveMemberButton member={m} onRemoved={invalidate} />}
        {isMe && (
          <LeaveWorkspaceDialog
            trigger={
              <Button variant="ghost" size="sm" className="text-muted-foreground" data-testid="member-leave">
                <LogOut aria-hidden /> Leave
              </Button>
            }
          />
        )}
      </TableCell>
    </TableRow>
  );
}

function RemoveMemberButton({ member: m, onRemoved }: { member: Member; onRemoved: () => Promise<unknown> }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const label = m.user.name || m.user.email;
  // Removing someone revokes the API keys they created here (server/services/api-keys.ts).
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions({ workspaceId: ws.id }), enabled: open });
  const theirKeys = (keys.data ?? []).filter(
    (k) => k.createdBy === m.user.id && !k.revokedAt && (!k.expiresAt || k.expiresAt > new Date()),
  ).length;
  const remove = useMutation(
    trpc.workspace.members.remove.mutationOptions({
      onSuccess: async () => {
        toast.success(`${label} was removed from ${ws.name}`);
        setOpen(false);
        await onRemoved();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => !remove.isPending && setOpen(next)}
      trigger={
        <RowRemoveButton
          icon={UserMinus}
          action="Remove"
          target={label}
          data-testid={`remove-member-${m.user.email}`}
        />
      }
      title={`Remove ${label}?`}
      description={
        <>
          {m.user.email} loses access to {ws.name} immediately. You can invite them again later.
          {theirKeys > 0 &&
            ` ${theirKeys} API ${theirKeys === 1 ? "key" : "keys"} created by ${label} will be revoked.`}
        </>
      }
      confirmLabel="Remove member"
      destructive
      pending={remove.isPending}
      keepOpen
      onConfirm={() => remove.mutate({ workspaceId: ws.id, memberId: m.id })}
    />
  );
}

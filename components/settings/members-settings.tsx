"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LogOut, MailX, UserMinus, UsersRound } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime, initials } from "@/lib/utils";
import type { Role } from "@/server/db/schema";
import { InviteMemberDialog } from "./invite-member-dialog";
import { LeaveWorkspaceDialog } from "./leave-workspace-dialog";
import { assignableRoles, ROLE_LABELS } from "./roles";

interface Member {
  id: string;
  role: Role;
  joinedAt: Date;
  user: { id: string; name: string | null; email: string; avatarUrl: string | null };
}

const ROLE_BADGE: Record<Role, "default" | "secondary" | "outline"> = {
  owner: "default",
  admin: "secondary",
  member: "outline",
  viewer: "outline",
};

function formatDate(d: Date, timeZone: string) {
  try {
    return d.toLocaleDateString("en-US", { dateStyle: "medium", timeZone });
  } catch {
    return d.toLocaleDateString("en-US", { dateStyle: "medium" });
  }
}

const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });

function fromNow(d: Date) {
  const hours = (d.getTime() - Date.now()) / 3_600_000;
  return Math.abs(hours) < 48
    ? relative.format(Math.round(hours), "hour")
    : relative.format(Math.round(hours / 24), "day");
}

export function MembersSettings() {
  const ws = useWorkspace();
  return (
    <>
      <MembersCard />
      {ws.canAdmin && <InvitationsCard />}
    </>
  );
}

function RoleBadge({ role }: { role: Role }) {
  return <Badge variant={ROLE_BADGE[role]}>{ROLE_LABELS[role]}</Badge>;
}

function MembersCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const members = useQuery(trpc.workspace.members.list.queryOptions({ workspaceId: ws.id }));
  const profile = useQuery(trpc.auth.profile.queryOptions());
  const count = members.data?.length;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>
          {count === undefined
            ? "People with access to this workspace."
            : `${count} ${count === 1 ? "person has" : "people have"} access to ${ws.name}.`}
          {!ws.canAdmin && " Only admins and owners can invite people or change roles."}
        </CardDescription>
        {ws.canAdmin && (
          <CardAction>
            <InviteMemberDialog />
          </CardAction>
        )}
      </CardHeader>
      <CardContent className="px-0 sm:px-6">
        {members.isError ? (
          <div role="alert" className="mx-6 flex flex-col items-start gap-3 text-sm sm:mx-0">
            <p className="text-destructive">{errorMessage(members.error)}</p>
            <Button variant="outline" size="sm" onClick={() => members.refetch()}>
              Try again
            </Button>
          </div>
        ) : (
          <Table data-testid="members-table" aria-label="Members" aria-busy={members.isPending}>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-6 sm:pl-2">Member</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Joined</TableHead>
                <TableHead className="pr-6 text-right sm:pr-2">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.isPending
                ? Array.from({ length: 3 }, (_, i) => (
                    <TableRow key={i}>
                      <TableCell className="pl-6 sm:pl-2">
                        <div className="flex items-center gap-3">
                          <Skeleton className="size-8 rounded-full" />
                          <div className="grid gap-1.5">
                            <Skeleton className="h-3.5 w-28" />
                            <Skeleton className="h-3 w-40" />
                          </div>
                        </div>
                      </TableCell>
                      <TableCell>
                        <Skeleton className="h-5 w-16" />
                      </TableCell>
                      <TableCell>
                        <Skeleton className="h-3.5 w-20" />
                      </TableCell>
                      <TableCell className="pr-6 sm:pr-2" />
                    </TableRow>
                  ))
                : members.data.map((m) => <MemberRow key={m.id} member={m} meId={profile.data?.id} />)}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function MemberRow({ member: m, meId }: { member: Member; meId: string | undefined }) {
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
    <AlertDialog open={open} onOpenChange={(next) => !remove.isPending && setOpen(next)}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="text-muted-foreground hover:text-destructive"
          data-testid={`remove-member-${m.user.email}`}
        >
          <UserMinus aria-hidden />
          <span className="sr-only sm:not-sr-only">Remove</span>
          <span className="sr-only"> {label}</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Remove {label}?</AlertDialogTitle>
          <AlertDialogDescription>
            {m.user.email} loses access to {ws.name} immediately. You can invite them again later.
            {theirKeys > 0 &&
              ` ${theirKeys} API ${theirKeys === 1 ? "key" : "keys"} created by ${label} will be revoked.`}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={remove.isPending}>Cancel</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            disabled={remove.isPending}
            onClick={(e) => {
              e.preventDefault();
              remove.mutate({ workspaceId: ws.id, memberId: m.id });
            }}
          >
            {remove.isPending && <Spinner />}
            Remove member
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function InvitationsCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const invitations = useQuery(trpc.workspace.invitations.list.queryOptions({ workspaceId: ws.id }));
  const pending = invitations.data?.filter((i) => i.status === "pending") ?? [];

  return (
    <Card>
      <CardHeader>
        <CardTitle>Pending invitations</CardTitle>
        <CardDescription>Invitations that have not been accepted or declined yet.</CardDescription>
      </CardHeader>
      <CardContent className="px-0 sm:px-6">
        {invitations.isPending ? (
          <div className="grid gap-3 px-6 sm:px-0" aria-busy="true">
            <Skeleton className="h-8 w-full" />
            <Skeleton className="h-8 w-full" />
          </div>
        ) : invitations.isError ? (
          <div role="alert" className="mx-6 flex flex-col items-start gap-3 text-sm sm:mx-0">
            <p className="text-destructive">{errorMessage(invitations.error)}</p>
            <Button variant="outline" size="sm" onClick={() => invitations.refetch()}>
              Try again
            </Button>
          </div>
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
                <TableHead className="pr-6 text-right sm:pr-2">
                  <span className="sr-only">Actions</span>
                </TableHead>
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
      </CardContent>
    </Card>
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
    <AlertDialog open={open} onOpenChange={(next) => !revoke.isPending && setOpen(next)}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="text-muted-foreground hover:text-destructive"
          data-testid={`revoke-invitation-${invitation.email}`}
        >
          <MailX aria-hidden />
          <span className="sr-only sm:not-sr-only">Revoke</span>
          <span className="sr-only"> invitation for {invitation.email}</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke this invitation?</AlertDialogTitle>
          <AlertDialogDescription>
            The link sent to {invitation.email} stops working. You can invite them again at any time.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={revoke.isPending}>Keep it</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            disabled={revoke.isPending}
            onClick={(e) => {
              e.preventDefault();
              revoke.mutate({ workspaceId: ws.id, invitationId: invitation.id });
            }}
          >
            {revoke.isPending && <Spinner />}
            Revoke invitation
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CardSection } from "@/components/ui/card-section";
import { HiddenHead } from "@/components/ui/data-table-parts";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { CardLoadError } from "./card-list-states";
import { InvitationsCard } from "./invitations-card";
import { InviteMemberDialog } from "./invite-member-dialog";
import { MemberRow } from "./member-row";
import { SsoCard } from "./sso-card";

export function MembersSettings() {
  const ws = useWorkspace();
  return (
    <>
      <MembersCard />
      {ws.canAdmin && <InvitationsCard />}
      {ws.canAdmin && <SsoCard />}
    </>
  );
}

function MembersCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const members = useQuery(trpc.workspace.members.list.queryOptions({ workspaceId: ws.id }));
  const profile = useQuery(trpc.auth.profile.queryOptions());
  const count = members.data?.length;

  return (
    <CardSection
      title="Members"
      description={
        <>
          {count === undefined
            ? "People with access to this workspace."
            : `${count} ${count === 1 ? "person has" : "people have"} access to ${ws.name}.`}
          {!ws.canAdmin && " Only admins and owners can invite people or change roles."}
        </>
      }
      action={ws.canAdmin ? <InviteMemberDialog /> : undefined}
      contentClassName="px-0 sm:px-6"
    >
      {members.isError ? (
        <CardLoadError query={members} />
      ) : (
        <Table data-testid="members-table" aria-label="Members" aria-busy={members.isPending}>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead className="pl-6 sm:pl-2">Member</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Joined</TableHead>
              <HiddenHead label="Actions" className="pr-6 text-right sm:pr-2" />
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
    </CardSection>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { Inbox, LayoutTemplate, Mail, Plus, Settings, ShieldBan } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApprovalsLink, AwaitingBadge, usePendingApprovals } from "@/components/approvals/approvals-link";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { BarsSkeleton, TableHeadRow } from "@/components/ui/data-table-parts";
import { DialogShell } from "@/components/ui/dialog-shell";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { CAMPAIGN_TYPES } from "@/lib/enums";
import { useTRPC } from "@/lib/trpc/client";
import { CampaignStatusBadge, percent, TYPE_DESCRIPTION, TYPE_LABEL } from "./campaign-meta";
import { SenderMissingBanner } from "./sender-banner";

function NewCampaignDialog() {
  const ws = useWorkspace();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <DialogShell
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button data-testid="new-campaign">
          <Plus aria-hidden />
          New campaign
        </Button>
      }
      title="New campaign"
      description="What kind of campaign is it? You can't change the type later."
    >
      <div className="grid gap-2">
        {CAMPAIGN_TYPES.map((type) => (
          <button
            key={type}
            type="button"
            data-testid={`new-campaign-${type}`}
            onClick={() => {
              setOpen(false);
              router.push(`/${ws.slug}/email/new?type=${type}`);
            }}
            className="rounded-lg border p-3 text-left outline-none transition-colors hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <span className="block text-sm font-medium">{TYPE_LABEL[type]}</span>
            <span className="block text-sm text-muted-foreground">{TYPE_DESCRIPTION[type]}</span>
          </button>
        ))}
      </div>
    </DialogShell>
  );
}

export function CampaignList() {
  const ws = useWorkspace();
  const awaiting = usePendingApprovals("campaign");
  const trpc = useTRPC();
  const list = useQuery(trpc.email.campaigns.list.queryOptions({ workspaceId: ws.id }));
  const rows = list.data?.campaigns ?? [];

  return (
    <>
      <PageHeader
        title="Email"
        description="One-time campaigns, sequences and triggered emails to your leads."
        actions={
          <>
            <ApprovalsLink entityType="campaign" />
            {ws.canAdmin && (
              <LinkButton href={`/${ws.slug}/email/outbox`} icon={Inbox} testId="open-outbox">
                Outbox
              </LinkButton>
            )}
            <LinkButton href={`/${ws.slug}/email/templates`} icon={LayoutTemplate} testId="open-templates">
              Templates
            </LinkButton>
            <LinkButton href={`/${ws.slug}/email/suppressions`} icon={ShieldBan} testId="open-suppressions">
              Suppression list
            </LinkButton>
            <LinkButton href={`/${ws.slug}/settings/sending`} icon={Settings}>
              Sending settings
            </LinkButton>
            {ws.canWrite && <NewCampaignDialog />}
          </>
        }
      />
      <SenderMissingBanner />
      {list.isPending ? (
        <BarsSkeleton count={3} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={Mail}
          title="No campaigns yet"
          description={
            ws.canWrite
              ? "Create a one-time campaign, a sequence or a triggered email."
              : "Members of this workspace can create campaigns."
          }
        />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeadRow
              columns={[
                { label: "Name" },
                { label: "Type", className: "hidden sm:table-cell" },
                { label: "Status" },
                { label: "Audience", className: "hidden text-right md:table-cell" },
                { label: "Sent", className: "text-right" },
                { label: "Opens", className: "hidden text-right md:table-cell" },
                { label: "Clicks", className: "hidden text-right md:table-cell" },
              ]}
            />
            <TableBody>
              {rows.map((c) => (
                <TableRow key={c.id} data-testid="campaign-row">
                  <TableCell className="max-w-64 truncate font-medium">
                    <Link href={`/${ws.slug}/email/${c.id}`} className="hover:underline">
                      {c.name}
                    </Link>
                    {awaiting.has(c.id) && (
                      <span className="ml-2">
                        <AwaitingBadge />
                      </span>
                    )}
                    <span className="block text-xs text-muted-foreground sm:hidden">
                      {TYPE_LABEL[c.type]}
                    </span>
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">{TYPE_LABEL[c.type]}</TableCell>
                  <TableCell>
                    <CampaignStatusBadge status={c.status} />
                  </TableCell>
                  <TableCell
                    className="hidden text-right tabular-nums md:table-cell"
                    title={
                      c.audienceKind === "recipients"
                        ? c.type === "one-time"
                          ? "Leads it was sent to"
                          : "Leads enrolled"
                        : "Active leads matching its audience now"
                    }
                    data-testid="campaign-audience"
                  >
                    {c.audienceSize.toLocaleString()}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {c.sent > 0 ? (
                      <Link href={`/${ws.slug}/email/${c.id}/report`} className="hover:underline">
                        {c.sent.toLocaleString()}
                      </Link>
                    ) : (
                      "0"
                    )}
                  </TableCell>
                  <TableCell className="hidden text-right tabular-nums md:table-cell">
                    {c.sent ? percent(c.openRate) : "—"}
                  </TableCell>
                  <TableCell className="hidden text-right tabular-nums md:table-cell">
                    {c.sent ? percent(c.clickRate) : "—"}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}

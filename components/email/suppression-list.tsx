"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Download, Search, ShieldBan, Trash2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { BarsSkeleton, TableHeadRow } from "@/components/ui/data-table-parts";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { LinkButton } from "@/components/ui/link-button";
import { OptionSelect } from "@/components/ui/option-select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { AddSuppressionDialog, ImportSuppressionsDialog } from "./suppression-dialogs";

type Reason = "bounced" | "complained" | "unsubscribed" | "imported" | "manual";
const REASONS: { value: Reason; label: string }[] = [
  { value: "bounced", label: "Bounced" },
  { value: "complained", label: "Complained" },
  { value: "unsubscribed", label: "Unsubscribed" },
  { value: "imported", label: "Imported" },
  { value: "manual", label: "Added by hand" },
];
const REASON_LABEL = Object.fromEntries(REASONS.map((r) => [r.value, r.label])) as Record<string, string>;
const KINDS = [
  { value: "address", label: "Addresses" },
  { value: "domain", label: "Domains" },
];

const when = (d: Date | string) =>
  new Date(d).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

function RemoveButton({ entry }: { entry: { id: string; value: string } }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.suppressions.remove.mutationOptions({
      onSuccess: () => toast.success(`${entry.value} removed from the suppression list`),
      onError: (err) => toast.error("Could not remove it", { description: errorMessage(err) }),
      onSettled: () => {
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.suppressions.pathKey() });
      },
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button
          variant="ghost"
          size="icon-sm"
          className="text-muted-foreground hover:text-destructive"
          aria-label={`Remove ${entry.value}`}
          data-testid="remove-suppression"
        >
          <Trash2 aria-hidden />
        </Button>
      }
      title={`Remove ${entry.value} from the suppression list?`}
      description="Campaigns may mail it again from now on. A lead that bounced, complained or unsubscribed keeps that status: removing it here does not make the lead active again — change the lead's status yourself if the person really wants mail."
      confirmLabel="Remove"
      confirmTestId="confirm-remove-suppression"
      destructive
      pending={remove.isPending}
      keepOpen
      onConfirm={() => remove.mutate({ workspaceId: ws.id, id: entry.id })}
    />
  );
}

/** Email → Suppression list: addresses and domains this workspace never mails. */
export function SuppressionList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [applied, setApplied] = useState("");
  const [reason, setReason] = useState<Reason | undefined>();
  const [kind, setKind] = useState<"address" | "domain" | undefined>();
  const filters = { search: applied || undefined, reason, kind };
  const list = useInfiniteQuery(
    trpc.suppressions.list.infiniteQueryOptions(
      { workspaceId: ws.id, ...filters, limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const count = useQuery(trpc.suppressions.count.queryOptions({ workspaceId: ws.id }));
  const exportCsv = useMutation(
    trpc.suppressions.export.mutationOptions({
      onSuccess: (out) => {
        const url = URL.createObjectURL(new Blob([out.csv], { type: "text/csv;charset=utf-8" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = out.fileName;
        a.click();
        URL.revokeObjectURL(url);
        toast.success(`Exported ${out.rows} ${out.rows === 1 ? "entry" : "entries"}`);
      },
      onError: (e) => toast.error("Could not export", { description: errorMessage(e) }),
    }),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(applied || reason || kind);
  const total = count.data?.total;

  return (
    <>
      <PageHeader
        title="Suppression list"
        description={`Addresses and whole domains this workspace never mails, whatever a lead's status says: checked when a campaign's audience is worked out and again just before each message leaves.${total !== undefined ? ` ${total.toLocaleString()} ${total === 1 ? "entry" : "entries"}.` : ""}`}
        actions={
          <>
            <LinkButton href={`/${ws.slug}/email`} icon={ArrowLeft}>
              Campaigns
            </LinkButton>
            {ws.canWrite && (
              <Button
                variant="outline"
                onClick={() => exportCsv.mutate({ workspaceId: ws.id, ...filters })}
                disabled={exportCsv.isPending}
                data-testid="export-suppressions"
              >
                {exportCsv.isPending ? <Spinner /> : <Download aria-hidden />}
                Export CSV
              </Button>
            )}
            {ws.canWrite && <ImportSuppressionsDialog />}
            {ws.canWrite && <AddSuppressionDialog />}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <form
          className="flex min-w-64 flex-1 gap-2 sm:max-w-md"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(search.trim());
          }}
        >
          <Input
            type="search"
            aria-label="Search addresses, domains and notes"
            placeholder="Search addresses, domains and notes"
            data-testid="suppression-search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <Button type="submit" variant="secondary">
            <Search aria-hidden />
            Search
          </Button>
        </form>
        <OptionSelect
          className="w-44"
          label="Filter by reason"
          testId="suppression-reason-filter"
          value={reason}
          onChange={(v) => setReason(v as Reason | undefined)}
          options={REASONS}
          none={{ label: "Every reason", value: "all" }}
        />
        <OptionSelect
          className="w-56"
          label="Filter by kind"
          value={kind}
          onChange={(v) => setKind(v as "address" | "domain" | undefined)}
          options={KINDS}
          none={{ label: "Addresses and domains", value: "all" }}
        />
      </div>
      {list.isPending ? (
        <BarsSkeleton count={2} />
      ) : list.isError ? (
        <EmptyState icon={ShieldBan} title="Could not load the list" description={errorMessage(list.error)} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={ShieldBan}
          title={filtered ? "Nothing matches" : "No one is suppressed yet"}
          description={
            filtered
              ? "No entry has that address, domain, note, reason or kind."
              : "Addresses land here by themselves when mail to them bounces for good, when someone marks it as spam or unsubscribes. Add an address or a whole domain by hand, or import a list from your previous tool, to make sure they are never mailed."
          }
        />
      ) : (
        <>
          <div className="rounded-lg border">
            <Table>
              <TableHeadRow
                columns={[
                  { label: "Address or domain" },
                  { label: "Reason" },
                  { label: "Note", className: "hidden lg:table-cell" },
                  { label: "Campaign", className: "hidden md:table-cell" },
                  { label: "Added", className: "hidden text-right sm:table-cell" },
                  ...(ws.canAdmin ? [{ label: <span className="sr-only">Remove</span> }] : []),
                ]}
              />
              <TableBody>
                {rows.map((r) => (
                  <TableRow key={r.id} data-testid="suppression-row">
                    <TableCell className="max-w-72 truncate font-medium">
                      {r.value}
                      {r.kind === "domain" && (
                        <Badge variant="outline" className="ml-2">
                          domain
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell>
                      <Badge variant="secondary">{REASON_LABEL[r.reason] ?? r.reason}</Badge>
                    </TableCell>
                    <TableCell className="hidden max-w-64 truncate text-muted-foreground lg:table-cell">
                      {r.note}
                    </TableCell>
                    <TableCell className="hidden max-w-48 truncate md:table-cell">
                      {r.campaignId && r.campaignName ? (
                        <Link href={`/${ws.slug}/email/${r.campaignId}`} className="hover:underline">
                          {r.campaignName}
                        </Link>
                      ) : (
                        <span className="text-muted-foreground">—</span>
                      )}
                    </TableCell>
                    <TableCell className="hidden text-right text-muted-foreground tabular-nums sm:table-cell">
                      {when(r.createdAt)}
                    </TableCell>
                    {ws.canAdmin && (
                      <TableCell className="w-10 text-right">
                        <RemoveButton entry={r} />
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {list.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <Button
                variant="outline"
                onClick={() => list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
              >
                {list.isFetchingNextPage && <Spinner />}
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}

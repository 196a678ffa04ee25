"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { ArrowLeft, Inbox, Search } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { BarsSkeleton, TableHeadRow } from "@/components/ui/data-table-parts";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { LinkButton } from "@/components/ui/link-button";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useTRPC } from "@/lib/trpc/client";

// The same marker the server writes (services/email/outbox.ts); kept here so this client file does
// not import the server module.
const REDACTED = "[removed]";

const KIND_LABEL: Record<string, string> = {
  campaign: "Campaign",
  invitation: "Invitation",
  "double-opt-in": "Confirmation",
};

const when = (d: Date | string) =>
  new Date(d).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * Email → Outbox: with no SMTP server configured, mail is kept here instead of sent. Each message
 * opens with its full header block (exactly what a relay would have received), the HTML as it
 * renders, and the plain-text part.
 */
export function OutboxList() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [applied, setApplied] = useState("");
  const list = useInfiniteQuery(
    trpc.email.outbox.list.infiniteQueryOptions(
      { workspaceId: ws.id, search: applied || undefined, limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Outbox"
        description={`No mail server is configured, so email is kept here instead of sent — as it would have gone out, except that links carrying a secret (invitation, confirmation, unsubscribe, tracking) show ${REDACTED} in place of their token. Messages are deleted after a while.`}
        actions={
          <LinkButton href={`/${ws.slug}/email`} icon={ArrowLeft}>
            Campaigns
          </LinkButton>
        }
      />
      <form
        className="mb-4 flex max-w-md gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(search.trim());
        }}
      >
        <Input
          type="search"
          aria-label="Search by recipient or subject"
          placeholder="Search by recipient or subject"
          data-testid="outbox-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Button type="submit" variant="secondary">
          <Search aria-hidden />
          Search
        </Button>
      </form>
      {list.isPending ? (
        <BarsSkeleton count={2} />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={Inbox}
          title={applied ? "Nothing matches" : "The outbox is empty"}
          description={
            applied
              ? "No kept message has that recipient or subject."
              : "Campaign emails, test sends and invitations appear here while no SMTP server is set."
          }
        />
      ) : (
        <>
          <div className="rounded-lg border">
            <Table>
              <TableHeadRow
                columns={[
                  { label: "To" },
                  { label: "Subject" },
                  { label: "Kind", className: "hidden sm:table-cell" },
                  { label: "Kept", className: "hidden text-right md:table-cell" },
                ]}
              />
              <TableBody>
                {rows.map((m) => (
                  <TableRow key={m.id} data-testid="outbox-row">
                    <TableCell className="max-w-48 truncate">
                      <Link href={`/${ws.slug}/email/outbox/${m.id}`} className="hover:underline">
                        {m.toAddress}
                      </Link>
                    </TableCell>
                    <TableCell className="max-w-80 truncate">{m.subject}</TableCell>
                    <TableCell className="hidden sm:table-cell">
                      <Badge variant="secondary">{KIND_LABEL[m.kind] ?? m.kind}</Badge>
                    </TableCell>
                    <TableCell className="hidden text-right text-muted-foreground tabular-nums md:table-cell">
                      {when(m.createdAt)}
                    </TableCell>
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

export function OutboxMessage({ id }: { id: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const msg = useQuery(trpc.email.outbox.get.queryOptions({ workspaceId: ws.id, id }));

  return (
    <>
      <PageHeader
        title={msg.data?.subject ?? "Message"}
        description={msg.data ? `To ${msg.data.toAddress} · kept ${when(msg.data.createdAt)}` : undefined}
        actions={
          <LinkButton href={`/${ws.slug}/email/outbox`} icon={ArrowLeft}>
            Outbox
          </LinkButton>
        }
      />
      {msg.isError ? (
        <EmptyState
          icon={Inbox}
          title="Message not found"
          description="It may belong to another workspace."
        />
      ) : !msg.data ? (
        <Skeleton className="h-96 w-full" />
      ) : (
        <div className="grid gap-6">
          <section aria-labelledby="outbox-headers-title" className="min-w-0">
            <h2 id="outbox-headers-title" className="mb-2 text-sm font-medium">
              Headers
            </h2>
            {msg.data.headers.length ? (
              <dl
                data-testid="outbox-headers"
                className="grid grid-cols-1 gap-x-4 gap-y-1 overflow-hidden rounded-lg border bg-muted/40 p-3 font-mono text-xs sm:grid-cols-[max-content_minmax(0,1fr)]"
              >
                {msg.data.headers.map(([name, value], i) => (
                  <div key={`${i}:${name}`} className="contents">
                    <dt className="font-semibold text-muted-foreground">{name}:</dt>
                    <dd className="mb-1 break-all sm:mb-0">{value}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="text-sm text-muted-foreground">
                This message was kept before headers were recorded.
              </p>
            )}
          </section>
          <Tabs defaultValue={msg.data.html ? "html" : "text"}>
            <TabsList>
              {msg.data.html && <TabsTrigger value="html">HTML</TabsTrigger>}
              <TabsTrigger value="text">Plain text</TabsTrigger>
            </TabsList>
            {msg.data.html && (
              <TabsContent value="html">
                <div className="overflow-x-auto rounded-lg border bg-muted/40 p-2">
                  <iframe
                    title="Message as HTML"
                    // No scripts run: the HTML is shown, not trusted.
                    sandbox=""
                    srcDoc={msg.data.html}
                    className="mx-auto block h-[560px] w-full min-w-[320px] rounded-md border bg-white"
                  />
                </div>
              </TabsContent>
            )}
            <TabsContent value="text">
              <pre
                data-testid="outbox-text"
                className="max-h-[560px] overflow-auto whitespace-pre-wrap break-words rounded-lg border bg-muted/40 p-3 text-sm"
              >
                {msg.data.text}
              </pre>
            </TabsContent>
          </Tabs>
        </div>
      )}
    </>
  );
}

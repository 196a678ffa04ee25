"use client";

import { useQuery } from "@tanstack/react-query";
import { CircleCheck, Inbox, Mail, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";

/** Whether campaigns can go out now (mail server, From domain, APP_URL) and why not. */
export function useSendReadiness(campaignId?: string) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  return useQuery(trpc.email.sender.readiness.queryOptions({ workspaceId: ws.id, campaignId }));
}

/**
 * The reasons a campaign can't be sent, said before anyone presses Send (the server refuses with
 * the same words). Nothing when it can.
 */
export function SendBlockedNotice({ problems, link = true }: { problems: string[]; link?: boolean }) {
  const ws = useWorkspace();
  if (problems.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="send-blocked"
      className="grid gap-2 rounded-md border border-warning/30 bg-warning/10 p-3 text-sm"
    >
      <p className="flex items-center gap-2 font-medium">
        <TriangleAlert className="size-4 shrink-0 text-warning" aria-hidden />
        Campaigns can't be sent yet
      </p>
      <ul className="grid list-disc gap-1 pl-5">
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      {link && (
        <Link href={`/${ws.slug}/settings/sending`} className="font-medium underline">
          Open Settings → Sending
        </Link>
      )}
    </div>
  );
}

const TRANSPORT: Record<"smtp" | "gmail" | "outbox", string> = {
  smtp: "Campaign mail goes out through your SMTP server.",
  gmail: "Campaign mail goes out through the connected Gmail account.",
  outbox:
    "No mail server is configured: campaign mail is kept in the in-app outbox and nothing leaves this server.",
};

/** Settings → Sending: where mail goes, whether the From domain is verified, what still blocks sending. */
export function SendReadinessCard() {
  const readiness = useSendReadiness();
  if (readiness.isPending) return <Skeleton className="h-28 w-full" />;
  if (!readiness.data) return null;
  const { transport, sender, problems } = readiness.data;
  return (
    <Card data-testid="send-readiness">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          Ready to send?
          {problems.length === 0 ? (
            <Badge variant="success" data-testid="send-ready">
              <CircleCheck aria-hidden />
              Ready
            </Badge>
          ) : (
            <Badge variant="warning">Not yet</Badge>
          )}
        </CardTitle>
        <CardDescription className="flex items-start gap-2">
          {transport === "outbox" ? (
            <Inbox className="mt-0.5 size-4 shrink-0" aria-hidden />
          ) : (
            <Mail className="mt-0.5 size-4 shrink-0" aria-hidden />
          )}
          {TRANSPORT[transport]}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        {sender && transport !== "outbox" && (
          <p data-testid="from-domain-status">
            From domain <span className="font-mono">{sender.domain}</span>:{" "}
            {sender.verifiedBy === "dns"
              ? "verified."
              : sender.verifiedBy === "operator"
                ? "this server's own sender domain (set by its operator), no verification needed."
                : "not verified — add it below and publish its TXT record."}
          </p>
        )}
        <SendBlockedNotice problems={problems} link={false} />
      </CardContent>
    </Card>
  );
}

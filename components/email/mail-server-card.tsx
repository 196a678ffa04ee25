"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleCheck, CircleX, Plug } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { useOnDemand } from "@/hooks/use-on-demand";
import type { MailServerMode } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { MailServerTestResult, MailServerView } from "@/server/services/email/mail-server-schemas";
import { type OwnDraft, OwnServerFields, ownDraftOf } from "./mail-server-fields";

const MODES: { mode: MailServerMode; label: string; describe: (v: MailServerView) => string }[] = [
  {
    mode: "default",
    label: "This server's default",
    describe: (v) =>
      v.serverDefault
        ? `Server default: ${v.serverDefault} (set by whoever runs this install).`
        : "None — mail stays in the in-app outbox, where you can read it; nothing is sent.",
  },
  {
    mode: "own",
    label: "Your own SMTP server",
    describe: () => "Your provider's SMTP host, port and login (Postmark, SES, Mailgun, your own relay…).",
  },
  {
    mode: "gmail",
    label: "Gmail",
    describe: (v) =>
      v.gmail.connected
        ? `Connected as ${v.gmail.account ?? "your Gmail account"}.`
        : "Send from a Gmail or Google Workspace account connected in Integrations.",
  },
];

// The card's rules (Zod) load when it is first focused, not with the page; the server checks too.
const loadRules = () => import("@/server/services/email/mail-server-schemas");

/** Settings → Sending, step 1: how this workspace's mail leaves, with a Test that really sends. */
export function MailServerCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.email.sender.mailServer.queryOptions({ workspaceId: ws.id }));
  const [mode, setMode] = useState<MailServerMode | null>(null);
  const [own, setOwn] = useState<OwnDraft | null>(null);
  const [result, setResult] = useState<MailServerTestResult | null>(null);
  const [rules, requestRules] = useOnDemand(loadRules);
  const save = useMutation(
    trpc.email.sender.updateMailServer.mutationOptions({
      onSuccess: async () => {
        toast.success("Mail server saved");
        setOwn(null);
        await queryClient.invalidateQueries({ queryKey: trpc.email.sender.mailServer.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.email.sender.readiness.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const test = useMutation(
    trpc.email.sender.testMailServer.mutationOptions({
      onSuccess: setResult,
      onError: (e) => setResult({ ok: false, message: errorMessage(e), serverReply: null }),
    }),
  );
  if (current.isPending || !current.data) return <Skeleton className="h-64 w-full" />;
  const view = current.data;
  const readOnly = !ws.canAdmin;
  const chosen = mode ?? view.mode;
  const draft = own ?? ownDraftOf(view);
  const input = { mode: chosen, ...draft, password: draft.password || undefined };
  const check = rules?.mailServerInput.safeParse(input);
  const errors: Record<string, string | undefined> =
    !check || check.success
      ? {}
      : Object.fromEntries(check.error.issues.map((i) => [i.path.join("."), i.message]));
  const invalid = check ? !check.success : false;
  const submit = async (fn: typeof save | typeof test) => {
    const { mailServerInput } = await requestRules();
    if (!mailServerInput.safeParse(input).success) return;
    setResult(null);
    fn.mutate({ workspaceId: ws.id, ...input });
  };

  return (
    <Card data-testid="mail-server-card" onFocusCapture={() => void requestRules()}>
      <CardHeader>
        <CardTitle>1. Mail server</CardTitle>
        <CardDescription>
          How this workspace's email leaves. Passwords are stored encrypted and never shown again.
          {readOnly && " Only admins can change this."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <fieldset className="grid gap-2" disabled={readOnly}>
          <legend className="sr-only">How this workspace sends</legend>
          {MODES.map((m) => (
            <label
              key={m.mode}
              className="flex cursor-pointer items-start gap-3 rounded-lg border p-3 has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:disabled]:cursor-default"
            >
              <input
                type="radio"
                name="mail-server-mode"
                className="mt-1"
                data-testid={`mail-mode-${m.mode}`}
                value={m.mode}
                checked={chosen === m.mode}
                onChange={() => {
                  setMode(m.mode);
                  setResult(null);
                }}
              />
              <span className="grid gap-0.5">
                <span className="font-medium">{m.label}</span>
                <span className="text-sm text-muted-foreground" data-testid={`mail-mode-${m.mode}-detail`}>
                  {m.describe(view)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {chosen === "own" && (
          <OwnServerFields
            draft={draft}
            onChange={setOwn}
            passwordSet={view.own?.passwordSet ?? false}
            readOnly={readOnly}
            errors={errors}
          />
        )}
        {chosen === "gmail" && !view.gmail.connected && (
          <div className="flex flex-wrap items-center gap-3 rounded-md border border-warning/30 bg-warning/10 p-3 text-sm">
            <span>
              {view.gmail.available
                ? "Gmail isn't connected yet: connect it, then come back and save."
                : "Gmail sending isn't set up on this server (an instance admin adds the Google app's credentials)."}
            </span>
            <LinkButton href={`/${ws.slug}/integrations`} icon={Plug} size="sm" testId="mail-gmail-connect">
              Connect Gmail
            </LinkButton>
          </div>
        )}
        {result && (
          <div
            role="status"
            data-testid="mail-test-result"
            data-ok={result.ok}
            className={`flex gap-2 rounded-md border p-3 text-sm ${result.ok ? "border-success/30 bg-success/10" : "border-destructive/30 bg-destructive/10"}`}
          >
            {result.ok ? (
              <CircleCheck className="size-4 shrink-0 text-success" aria-hidden />
            ) : (
              <CircleX className="size-4 shrink-0 text-destructive" aria-hidden />
            )}
            <span className="grid gap-1">
              <span>{result.message}</span>
              {result.serverReply && (
                <span className="break-all font-mono text-xs text-muted-foreground">
                  Server said: {result.serverReply}
                </span>
              )}
            </span>
          </div>
        )}
      </CardContent>
      {!readOnly && (
        <CardFooter className="justify-end gap-2">
          <Button
            type="button"
            variant="outline"
            data-testid="mail-server-test"
            disabled={test.isPending || invalid}
            onClick={() => void submit(test)}
          >
            {test.isPending && <Spinner />}
            Send a test to me
          </Button>
          <Button
            type="button"
            data-testid="mail-server-save"
            disabled={save.isPending || invalid}
            onClick={() => void submit(save)}
          >
            {save.isPending && <Spinner />}
            Save mail server
          </Button>
        </CardFooter>
      )}
    </Card>
  );
}

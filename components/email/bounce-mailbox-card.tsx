"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { BouncesView } from "@/server/services/email/bounce-mailbox-schemas";
import { type MailboxDraft, MailboxFields, mailboxDraftOf } from "./bounce-mailbox-fields";

interface Draft {
  returnPath: string;
  mailbox: MailboxDraft;
}
const draftOf = (v: BouncesView): Draft => ({ returnPath: v.returnPath ?? "", mailbox: mailboxDraftOf(v) });

function Outcome({ ok, message, testId }: { ok: boolean; message: string; testId: string }) {
  return (
    <p
      className={ok ? "text-sm text-emerald-700 dark:text-emerald-400" : "text-sm text-destructive"}
      data-testid={testId}
    >
      {message}
    </p>
  );
}

/** The last read of the mailbox, as the card shows it. */
function LastCheck({ state }: { state: BouncesView["state"] }) {
  if (!state?.lastPolledAt) return <p className="text-sm text-muted-foreground">Not read yet.</p>;
  const at = new Date(state.lastPolledAt).toLocaleString();
  if (state.lastError)
    return <Outcome ok={false} message={`Last read ${at}: ${state.lastError}`} testId="bounce-last-check" />;
  const r = state.lastResult;
  return (
    <p className="text-sm text-muted-foreground" data-testid="bounce-last-check">
      Last read {at}
      {r ? `: ${r.read} new, ${r.bounces} bounces, ${r.complaints} complaints, ${r.replies} replies.` : "."}
    </p>
  );
}

/**
 * Settings → Delivery → Bounces and replies: the return path (each message gets its own VERP
 * address under it) and the IMAP mailbox that is read every few minutes for bounces, complaints and
 * replies. Admins change it; others see it read-only.
 */
export function BounceMailboxCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const saved = useQuery(trpc.bounces.settings.queryOptions({ workspaceId: ws.id }));
  const [draft, setDraft] = useState<Draft | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  useEffect(() => {
    if (saved.data && draft === null) setDraft(draftOf(saved.data));
  }, [saved.data, draft]);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.bounces.settings.queryKey() });
  const onError = (e: unknown) => toast.error(errorMessage(e));
  const save = useMutation(
    trpc.bounces.updateSettings.mutationOptions({
      onSuccess: async (view) => {
        toast.success("Bounce settings saved");
        setDraft(draftOf(view));
        await refresh();
      },
      onError,
    }),
  );
  const test = useMutation(trpc.bounces.testMailbox.mutationOptions({ onSuccess: setOutcome, onError }));
  const check = useMutation(
    trpc.bounces.checkNow.mutationOptions({
      onSuccess: async (r) => {
        setOutcome(r);
        await refresh();
      },
      onError,
    }),
  );
  const readOnly = !ws.canAdmin;

  if (!draft || !saved.data) {
    return (
      <CardSection title="Bounces and replies">
        <Skeleton className="h-40 w-full" />
      </CardSection>
    );
  }
  const m = draft.mailbox;
  const input = () => ({
    workspaceId: ws.id,
    returnPath: draft.returnPath,
    mailbox: m.host.trim()
      ? {
          enabled: m.enabled,
          host: m.host,
          port: m.port,
          security: m.security,
          username: m.username,
          password: m.password || undefined,
          folder: m.folder,
        }
      : null,
  });
  const busy = save.isPending || test.isPending || check.isPending;

  return (
    <form
      data-testid="bounce-mailbox-card"
      onSubmit={(e) => {
        e.preventDefault();
        setOutcome(null);
        save.mutate(input());
      }}
    >
      <CardSection
        title="Bounces and replies"
        description="Bounces, spam complaints and replies that arrive after a message left are read from a mailbox over IMAP: a hard bounce or a complaint stops mail to that address, and a reply can end a sequence (its goals)."
        contentClassName="grid gap-6"
        footerClassName="flex flex-wrap justify-end gap-2 border-t pt-6"
        footer={
          readOnly ? undefined : (
            <>
              <Button
                type="button"
                variant="outline"
                disabled={busy || !m.host.trim()}
                onClick={() => {
                  setOutcome(null);
                  test.mutate(input());
                }}
                data-testid="bounce-test"
              >
                {test.isPending && <Spinner />} Test connection
              </Button>
              <Button
                type="button"
                variant="outline"
                disabled={busy || !saved.data.mailbox}
                onClick={() => {
                  setOutcome(null);
                  check.mutate({ workspaceId: ws.id });
                }}
                data-testid="bounce-check-now"
              >
                {check.isPending && <Spinner />} Check now
              </Button>
              <Button type="submit" disabled={busy} data-testid="bounce-save">
                {save.isPending && <Spinner />} Save
              </Button>
            </>
          )
        }
      >
        <Field
          label="Return path (bounce address)"
          htmlFor="bounce-return-path"
          hint="Campaign mail goes out with a return path of its own under this address (bounces+…@), so every bounce names its message. Mail to it must reach the mailbox below. Leave empty to use the From address."
        >
          <Input
            id="bounce-return-path"
            data-testid="bounce-return-path"
            disabled={readOnly}
            placeholder="bounces@mail.yourdomain.com"
            value={draft.returnPath}
            onChange={(e) => setDraft({ ...draft, returnPath: e.target.value })}
          />
        </Field>
        <div className="grid gap-4">
          <div className="flex items-center gap-3">
            <Switch
              id="bounce-mailbox-on"
              checked={m.enabled}
              disabled={readOnly}
              onCheckedChange={(enabled) => setDraft({ ...draft, mailbox: { ...m, enabled } })}
              data-testid="bounce-mailbox-on"
            />
            <Label htmlFor="bounce-mailbox-on">Read the bounce mailbox every 5 minutes</Label>
          </div>
          <MailboxFields
            draft={m}
            onChange={(mailbox) => setDraft({ ...draft, mailbox })}
            passwordSet={saved.data.mailbox?.passwordSet ?? false}
            readOnly={readOnly}
          />
          {saved.data.mailbox && <LastCheck state={saved.data.state} />}
          {outcome && <Outcome ok={outcome.ok} message={outcome.message} testId="bounce-outcome" />}
        </div>
      </CardSection>
    </form>
  );
}

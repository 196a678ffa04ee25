"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { SenderDomainsCard } from "@/components/settings/sending-domains";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { useOnDemand } from "@/hooks/use-on-demand";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { SenderSettings } from "@/server/services/workspaces/schemas";
import { DkimSettingsCard } from "./dkim-settings-card";
import { MailServerCard } from "./mail-server-card";
import { SendReadinessCard } from "./send-readiness";

const EMPTY: SenderSettings = {
  fromName: "",
  fromEmail: "",
  replyTo: "",
  postalAddress: "",
  sendRatePerSecond: 10,
};

/** Who campaigns come from: the text fields of the form, in order. */
const SENDER_FIELDS: {
  key: "fromName" | "fromEmail" | "replyTo";
  id: string;
  label: string;
  testId?: string;
  type?: "email";
  placeholder?: string;
}[] = [
  { key: "fromName", id: "sender-from-name", label: "From name", testId: "sender-from-name" },
  {
    key: "fromEmail",
    id: "sender-from-email",
    label: "From address",
    testId: "sender-from-email",
    type: "email",
    placeholder: "news@yourdomain.com",
  },
  {
    key: "replyTo",
    id: "sender-reply-to",
    label: "Reply-to (optional)",
    type: "email",
    placeholder: "Same as the from address",
  },
];

// The form's rules (Zod) load when it is first focused, not with the page; the server checks too.
const loadRules = () => import("@/server/services/workspaces/schemas");

/** Settings → Sending: who campaigns come from, and the postal address every message carries. */
export function SenderSettingsForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.email.sender.get.queryOptions({ workspaceId: ws.id }));
  const [draft, setDraft] = useState<SenderSettings | null>(null);
  const [touched, setTouched] = useState(false);
  const [rules, requestRules] = useOnDemand(loadRules);
  useEffect(() => {
    if (current.isSuccess && !draft) setDraft(current.data ?? { ...EMPTY, fromName: ws.name });
  }, [current.isSuccess, current.data, draft, ws.name]);

  const save = useMutation(
    trpc.email.sender.update.mutationOptions({
      onSuccess: async () => {
        toast.success("Sending settings saved");
        await queryClient.invalidateQueries({ queryKey: trpc.email.sender.get.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.email.sender.readiness.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  if (!draft) {
    return (
      <Card aria-busy="true">
        <CardContent className="grid gap-4">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-24 w-full" />
        </CardContent>
      </Card>
    );
  }
  const check = rules?.senderSettingsSchema.safeParse(draft);
  const issues: Record<string, string> =
    !check || check.success
      ? {}
      : Object.fromEntries(check.error.issues.map((i) => [i.path.join("."), i.message]));
  const err = (k: string) => (touched ? issues[k] : undefined);
  const readOnly = !ws.canAdmin;

  return (
    <div className="grid gap-6">
      <SendReadinessCard />
      <MailServerCard />
      <form
        onFocusCapture={() => void requestRules()}
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          void requestRules().then(({ senderSettingsSchema }) => {
            const valid = senderSettingsSchema.safeParse(draft);
            if (valid.success) save.mutate({ workspaceId: ws.id, ...valid.data });
          });
        }}
      >
        <Card>
          <CardHeader>
            <CardTitle>2. Sender identity</CardTitle>
            <CardDescription>
              Who your campaigns come from. The postal address is printed in every email's footer (anti-spam
              laws require it) — nothing is sent until it's set.
              {readOnly && " Only admins can change these."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {!current.data && (
              <p
                role="status"
                className="rounded-md border border-warning/30 bg-warning/10 p-3 text-sm"
                data-testid="sender-not-set"
              >
                Not set yet: campaigns can't be sent until you save these settings.
              </p>
            )}
            <div className="grid gap-4 sm:grid-cols-2">
              {SENDER_FIELDS.map((f) => (
                <Field key={f.key} label={f.label} htmlFor={f.id} error={err(f.key)}>
                  <Input
                    id={f.id}
                    data-testid={f.testId}
                    type={f.type}
                    disabled={readOnly}
                    placeholder={f.placeholder}
                    value={draft[f.key]}
                    onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
                  />
                </Field>
              ))}
              <Field
                label="Send rate (messages per second)"
                htmlFor="sender-rate"
                hint="0 = no limit. Keep it within what your mail provider allows."
                error={err("sendRatePerSecond")}
              >
                <Input
                  id="sender-rate"
                  type="number"
                  min={0}
                  max={1000}
                  disabled={readOnly}
                  value={draft.sendRatePerSecond}
                  onChange={(e) => setDraft({ ...draft, sendRatePerSecond: Number(e.target.value) })}
                />
              </Field>
            </div>
            <Field
              label="Postal address"
              htmlFor="sender-postal-address"
              hint="Street, city, postcode and country."
              error={err("postalAddress")}
            >
              <Textarea
                id="sender-postal-address"
                data-testid="sender-postal-address"
                rows={3}
                disabled={readOnly}
                value={draft.postalAddress}
                onChange={(e) => setDraft({ ...draft, postalAddress: e.target.value })}
              />
            </Field>
          </CardContent>
          {!readOnly && (
            <CardFooter className="justify-end">
              <Button type="submit" data-testid="sender-save" disabled={save.isPending}>
                {save.isPending && <Spinner />}
                Save
              </Button>
            </CardFooter>
          )}
        </Card>
      </form>
      <SenderDomainsCard />
      <DkimSettingsCard />
    </div>
  );
}

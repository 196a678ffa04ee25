"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  EMAIL_WEBHOOK_LABELS,
  EMAIL_WEBHOOK_PROVIDERS,
  type EmailWebhooksView,
} from "@/server/services/email/webhooks/schemas";
import { CopyButton } from "./copy-button";

function CopyRow({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <Field label={label} htmlFor={id}>
      <div className="flex gap-2">
        <Input id={id} data-testid={id} readOnly value={value} className="font-mono text-xs" />
        <CopyButton value={value} aria-label={`Copy ${label}`} />
      </div>
    </Field>
  );
}

function PostmarkCredentials({
  view,
  onRegenerate,
  pending,
}: {
  view: EmailWebhooksView;
  onRegenerate: () => void;
  pending: boolean;
}) {
  return (
    <div className="grid gap-3 rounded-md border p-4" data-testid="email-webhooks-postmark">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm font-medium">Postmark webhook credentials</p>
        {view.postmark ? (
          <ConfirmDialog
            trigger={
              <Button
                type="button"
                variant="outline"
                data-testid="email-webhooks-postmark-generate"
                disabled={pending}
              >
                Regenerate credentials
              </Button>
            }
            title="Regenerate the Postmark credentials?"
            description="Postmark's webhook keeps the old user and password until you paste the new URL there; until then its bounces are refused."
            confirmLabel="Regenerate"
            confirmTestId="email-webhooks-postmark-confirm"
            onConfirm={onRegenerate}
            pending={pending}
          />
        ) : (
          <Button
            type="button"
            variant="outline"
            data-testid="email-webhooks-postmark-generate"
            disabled={pending}
            onClick={onRegenerate}
          >
            {pending && <Spinner />}
            Generate credentials
          </Button>
        )}
      </div>
      {view.postmark && view.postmarkUrlWithCredentials ? (
        <CopyRow
          id="email-webhooks-postmark-credentials-url"
          label="Webhook URL with credentials (paste into Postmark → Server → Webhooks)"
          value={view.postmarkUrlWithCredentials}
        />
      ) : (
        <p className="text-sm text-muted-foreground">
          Postmark has no signature: we generate a random user and password for HTTP Basic authentication.
          Until you do, Postmark's webhooks are refused.
        </p>
      )}
    </div>
  );
}

/** Settings → Instance → Bounce webhooks: where each provider posts bounces and complaints. */
export function EmailWebhooksCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.emailWebhooks.get.queryOptions());
  const [sendgrid, setSendgrid] = useState<string | null>(null);
  const [mailgun, setMailgun] = useState("");
  const [topics, setTopics] = useState<string | null>(null);
  const onSaved = (view: EmailWebhooksView, message: string) => {
    queryClient.setQueryData(trpc.emailWebhooks.get.queryKey(), view);
    toast.success(message);
  };
  const save = useMutation(
    trpc.emailWebhooks.save.mutationOptions({
      onSuccess: (view) => {
        onSaved(view, "Bounce webhook settings saved");
        setSendgrid(null);
        setMailgun("");
        setTopics(null);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const regenerate = useMutation(
    trpc.emailWebhooks.regeneratePostmark.mutationOptions({
      onSuccess: (view) => onSaved(view, "New Postmark credentials: paste the URL into Postmark"),
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  if (query.isPending) return <Skeleton className="h-64 w-full" />;
  if (!query.data) return null;
  const view = query.data;
  const topicsText = topics ?? view.sesTopicArns.join("\n");
  const configured: Record<(typeof EMAIL_WEBHOOK_PROVIDERS)[number], boolean> = {
    ses: view.sesTopicArns.length > 0,
    postmark: view.postmark !== null,
    sendgrid: view.sendgridPublicKey !== "",
    mailgun: view.mailgunSigningKeySet,
  };
  return (
    <form
      data-testid="instance-email-webhooks"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          sendgridPublicKey: sendgrid ?? view.sendgridPublicKey,
          mailgunSigningKey: mailgun || undefined,
          sesTopicArns: topicsText
            .split(/[\s,]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        });
      }}
    >
      <Card>
        <CardHeader>
          <CardTitle>Bounce webhooks</CardTitle>
          <CardDescription>
            Your email provider reports bounces and spam complaints here: a hard bounce or complaint stops all
            mail to that address in its workspace. Point each provider you send through at its URL.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="flex flex-wrap gap-2">
            {EMAIL_WEBHOOK_PROVIDERS.map((p) => (
              <Badge
                key={p}
                variant={configured[p] ? "success" : "outline"}
                data-testid={`email-webhooks-${p}-state`}
              >
                {EMAIL_WEBHOOK_LABELS[p]}: {configured[p] ? "set up" : "not set up"}
              </Badge>
            ))}
          </div>
          <div className="grid gap-3">
            {EMAIL_WEBHOOK_PROVIDERS.map((p) => (
              <CopyRow
                key={p}
                id={`email-webhooks-${p}-url`}
                label={`${EMAIL_WEBHOOK_LABELS[p]} URL`}
                value={view.urls[p]}
              />
            ))}
          </div>
          <PostmarkCredentials
            view={view}
            onRegenerate={() => regenerate.mutate()}
            pending={regenerate.isPending}
          />
          <Field
            label="Amazon SNS topic ARNs (one a line)"
            htmlFor="email-webhooks-ses-topics"
            hint="Only notifications of these topics are accepted; the subscription is confirmed automatically."
          >
            <Textarea
              id="email-webhooks-ses-topics"
              data-testid="email-webhooks-ses-topics"
              rows={2}
              placeholder="arn:aws:sns:eu-west-1:123456789012:ses-bounces"
              value={topicsText}
              onChange={(e) => setTopics(e.target.value)}
            />
          </Field>
          <div className="grid items-start gap-4 sm:grid-cols-2">
            <Field
              label="SendGrid verification key"
              htmlFor="email-webhooks-sendgrid-key"
              hint="Mail Settings → Event Webhook → Signature Verification: the public key (base64)."
            >
              <Textarea
                id="email-webhooks-sendgrid-key"
                data-testid="email-webhooks-sendgrid-key"
                rows={3}
                className="font-mono text-xs"
                value={sendgrid ?? view.sendgridPublicKey}
                onChange={(e) => setSendgrid(e.target.value)}
              />
            </Field>
            <Field
              label="Mailgun HTTP webhook signing key"
              htmlFor="email-webhooks-mailgun-key"
              hint={
                view.mailgunSigningKeySet
                  ? "Set. Leave empty to keep it."
                  : "Sending → Webhooks → HTTP webhook signing key."
              }
            >
              <Input
                id="email-webhooks-mailgun-key"
                data-testid="email-webhooks-mailgun-key"
                type="password"
                autoComplete="off"
                placeholder={view.mailgunSigningKeySet ? "••••••••" : ""}
                value={mailgun}
                onChange={(e) => setMailgun(e.target.value)}
              />
            </Field>
          </div>
        </CardContent>
        <CardFooter className="justify-end gap-2">
          {view.mailgunSigningKeySet && (
            <Button
              type="button"
              variant="outline"
              disabled={save.isPending}
              onClick={() =>
                save.mutate({
                  sendgridPublicKey: view.sendgridPublicKey,
                  clearMailgunSigningKey: true,
                  sesTopicArns: view.sesTopicArns,
                })
              }
            >
              Remove the Mailgun key
            </Button>
          )}
          <Button type="submit" data-testid="email-webhooks-save" disabled={save.isPending}>
            {save.isPending && <Spinner />}
            Save
          </Button>
        </CardFooter>
      </Card>
    </form>
  );
}

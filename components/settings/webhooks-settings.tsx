"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Webhook } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { CheckboxGroup, FormError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { CardListStates } from "./card-list-states";
import { SecretOnce } from "./copy-button";
import { DeliveryLog } from "./webhook-delivery-log";

const EVENTS = [
  { type: "lead.created", label: "Lead created" },
  { type: "lead.unsubscribed", label: "Lead unsubscribed" },
  { type: "content.published", label: "Content published" },
  { type: "content.failed", label: "Content failed to publish" },
  { type: "campaign.sent", label: "Campaign sent" },
  { type: "order.created", label: "Order created" },
] as const;

type EventType = (typeof EVENTS)[number]["type"];

const EVENT_OPTIONS = EVENTS.map((ev) => ({
  value: ev.type,
  label: (
    <>
      {ev.label} <code className="text-muted-foreground text-xs">{ev.type}</code>
    </>
  ),
}));

export function WebhooksSettings() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const endpoints = useQuery({
    ...trpc.webhooks.list.queryOptions({ workspaceId: ws.id }),
    enabled: ws.canAdmin,
  });
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<EventType[]>(["lead.created"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: (res) => {
        setSecret(res.secret);
        setUrl("");
        setDescription("");
        void invalidate();
      },
    }),
  );
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onSuccess: () => void invalidate(),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: () => {
        toast.success("Endpoint deleted");
        setSelected(null);
        void invalidate();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  if (!ws.canAdmin) {
    return <CardSection title="Webhooks" description="Only owners and admins can manage webhooks." />;
  }

  const errs = fieldErrors(create.error);
  const closeDialog = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setSecret(null);
      create.reset();
    }
  };

  return (
    <div className="grid gap-6">
      <CardSection
        title="Webhooks"
        description="We POST signed JSON (Standard Webhooks) to your HTTPS endpoints when things happen, retrying for a day."
        action={
          <Button onClick={() => setOpen(true)} data-testid="new-webhook">
            <Plus aria-hidden /> Add endpoint
          </Button>
        }
        contentClassName="px-0 sm:px-6"
      >
        <CardListStates
          query={endpoints}
          skeletonRows={1}
          icon={Webhook}
          emptyTitle="No endpoints yet"
          emptyDescription="Add one to send new leads, published posts and orders to your CRM or Zapier."
        >
          {(rows) => (
            <ul className="divide-y rounded-md border" data-testid="webhook-endpoints">
              {rows.map((e) => (
                <li key={e.id} className="grid gap-2 p-4 sm:flex sm:items-center sm:justify-between">
                  <div className="min-w-0">
                    <button
                      type="button"
                      className="block max-w-full truncate text-left font-medium text-sm underline-offset-4 hover:underline"
                      onClick={() => setSelected(e.id === selected ? null : e.id)}
                    >
                      {e.url}
                    </button>
                    {e.description ? <p className="text-muted-foreground text-sm">{e.description}</p> : null}
                    <div className="mt-1 flex flex-wrap gap-1">
                      {e.events.map((t) => (
                        <Badge key={t} variant="secondary">
                          {t}
                        </Badge>
                      ))}
                    </div>
                    {e.disabledReason ? (
                      <p role="status" className="mt-1 text-destructive text-sm">
                        {e.disabledReason}
                      </p>
                    ) : null}
                  </div>
                  <div className="flex shrink-0 items-center gap-3">
                    {e.lastDeliveryStatus ? (
                      <Badge variant={e.lastDeliveryStatus === "failed" ? "destructive" : "outline"}>
                        Last: {e.lastDeliveryStatus}
                      </Badge>
                    ) : null}
                    <Label className="flex items-center gap-2 font-normal text-sm">
                      <Switch
                        checked={e.enabled}
                        aria-label={`Endpoint ${e.url} enabled`}
                        onCheckedChange={(v) =>
                          update.mutate({ workspaceId: ws.id, endpointId: e.id, enabled: v })
                        }
                      />
                      {e.enabled ? "On" : "Off"}
                    </Label>
                    <Button
                      variant="outline"
                      size="sm"
                      onClick={() => setSelected(e.id === selected ? null : e.id)}
                    >
                      {selected === e.id ? "Hide log" : "Deliveries"}
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </CardListStates>
      </CardSection>

      {selected ? (
        <DeliveryLog
          endpointId={selected}
          onDelete={() => {
            if (window.confirm("Delete this endpoint and its delivery log?")) {
              remove.mutate({ workspaceId: ws.id, endpointId: selected });
            }
          }}
        />
      ) : null}

      <DialogShell
        open={open}
        onOpenChange={closeDialog}
        title={secret ? "Endpoint added" : "Add endpoint"}
        description={
          secret ? (
            <>
              Verify each request's <code>webhook-signature</code> with this signing secret. Admins can reveal
              it again later.
            </>
          ) : (
            "An HTTPS URL that answers 2xx within 10 seconds."
          )
        }
        form={
          secret
            ? undefined
            : {
                className: "grid gap-4",
                noValidate: true,
                onSubmit: (e) => {
                  e.preventDefault();
                  create.mutate({ workspaceId: ws.id, url, description, events });
                },
              }
        }
      >
        {secret ? (
          <SecretOnce value={secret} testId="webhook-secret" onDone={() => closeDialog(false)} />
        ) : (
          <>
            <div className="grid gap-2">
              <Label htmlFor="webhook-url">URL</Label>
              <Input
                id="webhook-url"
                type="url"
                placeholder="https://example.com/webhooks/organic"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                aria-invalid={errs.url ? true : undefined}
              />
              {errs.url ? <p className="text-destructive text-sm">{errs.url}</p> : null}
            </div>
            <div className="grid gap-2">
              <Label htmlFor="webhook-description">Description (optional)</Label>
              <Input
                id="webhook-description"
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            </div>
            <CheckboxGroup
              legend="Events"
              options={EVENT_OPTIONS}
              value={events}
              onChange={setEvents}
              error={errs.events}
            />
            {create.error && !errs.url && !errs.events ? (
              <FormError>{errorMessage(create.error)}</FormError>
            ) : null}
            <FormFooter onCancel={() => closeDialog(false)} submitDisabled={create.isPending}>
              Add endpoint
            </FormFooter>
          </>
        )}
      </DialogShell>
    </div>
  );
}

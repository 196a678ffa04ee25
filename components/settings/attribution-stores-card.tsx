"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Store, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { FormError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { CardListStates } from "./card-list-states";
import { CopyButton, SecretOnce } from "./copy-button";

/** Stores that send orders by signed webhook: connect (Shopify key pasted, WooCommerce secret made here), list, remove. */
export function StoresCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const stores = useQuery(trpc.attribution.stores.list.queryOptions({ workspaceId: ws.id }));
  const [open, setOpen] = useState(false);
  const [platform, setPlatform] = useState<"shopify" | "woocommerce">("shopify");
  const [shop, setShop] = useState("");
  const [secret, setSecret] = useState("");
  const [created, setCreated] = useState<{ secret: string | null; webhookPath: string } | null>(null);
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.attribution.stores.list.queryKey() });
  const create = useMutation(
    trpc.attribution.stores.create.mutationOptions({
      onSuccess: (res) => {
        setCreated({ secret: res.secret, webhookPath: res.webhookPath });
        setShop("");
        setSecret("");
        void invalidate();
      },
    }),
  );
  const remove = useMutation(
    trpc.attribution.stores.delete.mutationOptions({
      onSuccess: () => {
        toast.success("Store disconnected: its webhook is refused from now on");
        void invalidate();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const errs = fieldErrors(create.error);
  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setCreated(null);
      create.reset();
    }
  };

  return (
    <>
      <CardSection
        title="Stores"
        description={
          <>
            Shopify and WooCommerce send each new order to a signed webhook address; the order is credited as
            it arrives. Scripts and other shops can post orders to <code>POST /api/v1/orders</code> with an
            API key.
          </>
        }
        action={
          ws.canAdmin ? (
            <Button onClick={() => setOpen(true)} data-testid="connect-store">
              <Plus aria-hidden /> Connect a store
            </Button>
          ) : undefined
        }
        contentClassName="px-0 sm:px-6"
      >
        <CardListStates
          query={stores}
          skeletonRows={1}
          icon={Store}
          emptyTitle="No store connected"
          emptyDescription="Connect Shopify or WooCommerce to credit their orders to your posts and emails."
        >
          {(rows) => (
            <ul className="divide-y rounded-md border" data-testid="stores">
              {rows.map((s) => (
                <li key={s.id} className="grid gap-2 p-4 sm:flex sm:items-center sm:justify-between">
                  <div className="grid min-w-0 gap-1">
                    <div className="flex items-center gap-2">
                      <Badge variant="secondary">
                        {s.platform === "shopify" ? "Shopify" : "WooCommerce"}
                      </Badge>
                      <span className="truncate font-medium text-sm">{s.shop}</span>
                    </div>
                    <code className="truncate text-muted-foreground text-xs">{origin + s.webhookPath}</code>
                    <p className="text-muted-foreground text-xs">
                      {s.ordersReceived} order{s.ordersReceived === 1 ? "" : "s"} received
                      {s.lastOrderAt ? ` · last ${new Date(s.lastOrderAt).toLocaleString()}` : " · none yet"}
                    </p>
                  </div>
                  <div className="flex shrink-0 gap-2">
                    <CopyButton value={origin + s.webhookPath} label="Copy address" size="sm" />
                    {ws.canAdmin && (
                      <Button
                        variant="outline"
                        size="sm"
                        aria-label={`Disconnect ${s.shop}`}
                        onClick={() => {
                          if (window.confirm(`Disconnect ${s.shop}? Orders already received stay.`))
                            remove.mutate({ workspaceId: ws.id, id: s.id });
                        }}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </CardListStates>
      </CardSection>

      <DialogShell
        open={open}
        onOpenChange={close}
        title={created ? "Store connected" : "Connect a store"}
        description={
          created
            ? "Finish in the store's admin with these values."
            : "Orders arrive by the store's own signed webhooks: nothing here can read your store."
        }
        form={
          created
            ? undefined
            : {
                className: "grid gap-4",
                noValidate: true,
                onSubmit: (e) => {
                  e.preventDefault();
                  create.mutate(
                    platform === "shopify"
                      ? { workspaceId: ws.id, platform, shop, secret }
                      : { workspaceId: ws.id, platform, shop },
                  );
                },
              }
        }
      >
        {created ? (
          <div className="grid gap-4 text-sm">
            <div className="grid gap-2">
              <Label>Webhook address (Delivery URL)</Label>
              <div className="flex items-center gap-2">
                <code
                  className="min-w-0 flex-1 break-all rounded-md border bg-muted px-3 py-2"
                  data-testid="store-webhook-url"
                >
                  {origin + created.webhookPath}
                </code>
                <CopyButton value={origin + created.webhookPath} />
              </div>
            </div>
            {created.secret ? (
              <>
                <p>
                  In WooCommerce → Settings → Advanced → Webhooks, add a webhook with topic{" "}
                  <b>Order created</b>, this delivery URL, API version 3, and this secret (shown once):
                </p>
                <SecretOnce value={created.secret} testId="store-secret" onDone={() => close(false)} />
              </>
            ) : (
              <>
                <p>
                  In Shopify → Settings → Notifications → Webhooks, create a webhook for <b>Order creation</b>{" "}
                  (and Order update, if you want status changes) in JSON format to this address.
                </p>
                <div className="flex justify-end">
                  <Button onClick={() => close(false)}>Done</Button>
                </div>
              </>
            )}
          </div>
        ) : (
          <>
            <fieldset className="grid gap-2">
              <legend className="mb-1 font-medium text-sm">Platform</legend>
              <div className="flex gap-4 text-sm">
                {(["shopify", "woocommerce"] as const).map((p) => (
                  <label key={p} className="flex items-center gap-2">
                    <input
                      type="radio"
                      name="store-platform"
                      value={p}
                      checked={platform === p}
                      onChange={() => setPlatform(p)}
                      className="accent-primary"
                      data-testid={`store-platform-${p}`}
                    />
                    {p === "shopify" ? "Shopify" : "WooCommerce"}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="grid gap-2">
              <Label htmlFor="store-shop">{platform === "shopify" ? "Store domain" : "Store address"}</Label>
              <Input
                id="store-shop"
                value={shop}
                placeholder={platform === "shopify" ? "acme.myshopify.com" : "https://shop.example"}
                onChange={(e) => setShop(e.target.value)}
                aria-invalid={errs.shop ? true : undefined}
                data-testid="store-shop"
              />
              {errs.shop ? <p className="text-destructive text-sm">{errs.shop}</p> : null}
            </div>
            {platform === "shopify" && (
              <div className="grid gap-2">
                <Label htmlFor="store-secret">Webhook signing key</Label>
                <Input
                  id="store-secret"
                  value={secret}
                  autoComplete="off"
                  onChange={(e) => setSecret(e.target.value)}
                  aria-invalid={errs.secret ? true : undefined}
                  aria-describedby="store-secret-hint"
                  data-testid="store-secret-input"
                />
                <p id="store-secret-hint" className="text-muted-foreground text-sm">
                  Shopify shows it under Settings → Notifications → Webhooks: “Your webhooks will be signed
                  with …”.
                </p>
                {errs.secret ? <p className="text-destructive text-sm">{errs.secret}</p> : null}
              </div>
            )}
            {create.error && !errs.shop && !errs.secret ? (
              <FormError>{errorMessage(create.error)}</FormError>
            ) : null}
            <FormFooter onCancel={() => close(false)} submitDisabled={create.isPending}>
              Connect
            </FormFooter>
          </>
        )}
      </DialogShell>
    </>
  );
}

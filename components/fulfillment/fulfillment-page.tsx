"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PackageOpen, Plus, Trash2, Truck, XCircle } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  createFulfillmentInput,
  previewFulfillmentInput,
  type ShippingSpeed,
} from "@/server/services/amazon/schemas";

const emptyAddress = {
  name: "",
  addressLine1: "",
  addressLine2: "",
  city: "",
  stateOrRegion: "",
  postalCode: "",
  countryCode: "US",
  phone: "",
};

const date = (d: string | Date | null | undefined) =>
  d ? new Date(d).toLocaleDateString(undefined, { month: "short", day: "numeric" }) : "—";

function statusVariant(s: string): "success" | "warning" | "destructive" | "secondary" | "outline" {
  const v = s.toLowerCase();
  if (v === "complete") return "success";
  if (v === "cancelled" || v === "unfulfillable" || v === "invalid" || v === "notcreated")
    return "destructive";
  if (v === "processing" || v === "completepartialled") return "warning";
  return "secondary";
}

/** Ship samples to leads through Amazon Multi-Channel Fulfillment: preview, create, follow, cancel. */
export function FulfillmentPage() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const status = useQuery(trpc.amazon.status.queryOptions({ workspaceId: ws.id }));
  const list = useQuery(trpc.fulfillment.list.queryOptions({ workspaceId: ws.id }));
  const [openId, setOpenId] = useState<string | null>(null);
  const connected = status.data && "accountName" in status.data && status.data.status === "connected";

  return (
    <>
      <PageHeader
        title="Fulfillment"
        description="Ship samples and orders to leads from your Amazon inventory (Multi-Channel Fulfillment)."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        {status.isLoading ? (
          <Skeleton className="h-96 w-full" />
        ) : connected && ws.canWrite ? (
          <NewShipment onCreated={(id) => setOpenId(id)} />
        ) : (
          <Card>
            <CardContent>
              <EmptyState
                icon={PackageOpen}
                title={connected ? "Read-only" : "Connect Amazon to ship"}
                description={
                  connected
                    ? "Viewers can follow shipments; members create them."
                    : "Multi-Channel Fulfillment uses your Amazon seller account. Orders created before stay listed here."
                }
                action={
                  !connected && ws.canAdmin ? (
                    <Button asChild>
                      <Link href={`/${ws.slug}/integrations`}>Go to Integrations</Link>
                    </Button>
                  ) : undefined
                }
              />
            </CardContent>
          </Card>
        )}
        <div className="grid content-start gap-6">
          {openId && <OrderDetail id={openId} onClose={() => setOpenId(null)} />}
          <Card>
            <CardHeader>
              <CardTitle>Orders</CardTitle>
              <CardDescription>Fulfillment orders this workspace created.</CardDescription>
            </CardHeader>
            <CardContent>
              {list.isLoading ? (
                <Skeleton className="h-32 w-full" />
              ) : !list.data?.length ? (
                <EmptyState
                  icon={Truck}
                  title="No fulfillment orders yet"
                  description="Preview and create one to ship a sample."
                />
              ) : (
                <ul className="divide-y" data-testid="fulfillment-list">
                  {list.data.map((o) => (
                    <li key={o.id}>
                      <button
                        type="button"
                        className="flex w-full flex-wrap items-center justify-between gap-2 py-3 text-left hover:bg-muted/40 focus-visible:outline-2"
                        onClick={() => setOpenId(o.id)}
                        data-testid="fulfillment-row"
                      >
                        <span className="min-w-0">
                          <span className="block truncate font-medium">
                            {o.lead?.name || o.lead?.email || o.destination.name}
                          </span>
                          <span className="block truncate text-muted-foreground text-xs">
                            {o.sellerFulfillmentOrderId} · {o.shippingSpeedCategory} · {date(o.createdAt)}
                          </span>
                        </span>
                        <span className="flex items-center gap-2">
                          {o.estimatedTotal && (
                            <span className="text-muted-foreground text-xs tabular-nums">
                              {o.estimatedTotal.value} {o.estimatedTotal.currencyCode}
                            </span>
                          )}
                          <Badge variant={statusVariant(o.status)}>{o.status}</Badge>
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

function LeadPicker({
  value,
  onPick,
}: {
  value: { id: string; label: string } | null;
  onPick: (lead: { id: string; label: string; name: string | null } | null) => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const results = useQuery({
    ...trpc.leads.list.queryOptions({ workspaceId: ws.id, search: search || undefined, limit: 5 }),
    enabled: search.trim().length > 1,
  });
  if (value) {
    return (
      <div
        className="flex items-center justify-between rounded-md border px-3 py-2 text-sm"
        data-testid="picked-lead"
      >
        <span className="truncate">{value.label}</span>
        <Button type="button" size="sm" variant="ghost" onClick={() => onPick(null)}>
          Change
        </Button>
      </div>
    );
  }
  return (
    <div className="grid gap-1">
      <Input
        id="ff-lead"
        placeholder="Search leads by name or email"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        autoComplete="off"
      />
      {results.data?.items.length ? (
        <ul className="rounded-md border text-sm">
          {results.data.items.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                className="w-full px-3 py-1.5 text-left hover:bg-muted"
                onClick={() =>
                  onPick({ id: l.id, label: l.name ? `${l.name} <${l.email}>` : l.email, name: l.name })
                }
              >
                {l.name ? `${l.name} · ` : ""}
                <span className="text-muted-foreground">{l.email}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function NewShipment({ onCreated }: { onCreated: (id: string) => void }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [lead, setLead] = useState<{ id: string; label: string } | null>(null);
  const [address, setAddress] = useState(emptyAddress);
  const [items, setItems] = useState([{ sellerSku: "", quantity: 1 }]);
  const [comment, setComment] = useState(`A little something from ${ws.name} — enjoy!`);
  const [speed, setSpeed] = useState<ShippingSpeed | null>(null);
  const [submitted, setSubmitted] = useState(false);

  const preview = useMutation(
    trpc.fulfillment.preview.mutationOptions({
      onSuccess: (r) =>
        setSpeed((r.options.find((o) => o.isFulfillable)?.shippingSpeedCategory as ShippingSpeed) ?? null),
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const create = useMutation(
    trpc.fulfillment.create.mutationOptions({
      onSuccess: async (o) => {
        toast.success(`Order ${o.sellerFulfillmentOrderId} sent to Amazon`);
        preview.reset();
        setSpeed(null);
        setSubmitted(false);
        await queryClient.invalidateQueries({ queryKey: trpc.fulfillment.list.queryKey() });
        onCreated(o.id);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  const draft = { address, items };
  const check = previewFulfillmentInput.safeParse(draft);
  const issues: Record<string, string> =
    submitted && !check.success
      ? Object.fromEntries(check.error.issues.map((i) => [i.path.join("."), i.message]))
      : {};
  const set = (k: keyof typeof emptyAddress) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setAddress({ ...address, [k]: e.target.value });
    preview.reset();
  };

  const submitCreate = () => {
    const parsed = createFulfillmentInput.safeParse({
      ...draft,
      shippingSpeedCategory: speed,
      leadId: lead?.id,
      displayableOrderComment: comment,
    });
    if (!parsed.success) {
      toast.error(parsed.error.issues[0]?.message ?? "Check the form");
      return;
    }
    create.mutate({ workspaceId: ws.id, ...parsed.data });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>New shipment</CardTitle>
        <CardDescription>Preview costs and delivery speeds, then send the order to Amazon.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            setSubmitted(true);
            if (check.success) preview.mutate({ workspaceId: ws.id, ...check.data });
          }}
        >
          <Field label="Lead (optional)" htmlFor="ff-lead">
            <LeadPicker
              value={lead}
              onPick={(l) => {
                setLead(l);
                if (l?.name && !address.name) setAddress({ ...address, name: l.name });
              }}
            />
          </Field>
          <fieldset className="grid gap-3 sm:grid-cols-2">
            <legend className="mb-2 font-medium text-sm">Ship to</legend>
            <Field label="Name" htmlFor="ff-name" error={issues["address.name"]} className="sm:col-span-2">
              <Input id="ff-name" value={address.name} onChange={set("name")} autoComplete="name" />
            </Field>
            <Field
              label="Address"
              htmlFor="ff-line1"
              error={issues["address.addressLine1"]}
              className="sm:col-span-2"
            >
              <Input
                id="ff-line1"
                value={address.addressLine1}
                onChange={set("addressLine1")}
                autoComplete="address-line1"
              />
            </Field>
            <Field label="Address line 2" htmlFor="ff-line2" className="sm:col-span-2">
              <Input
                id="ff-line2"
                value={address.addressLine2}
                onChange={set("addressLine2")}
                autoComplete="address-line2"
              />
            </Field>
            <Field label="City" htmlFor="ff-city" error={issues["address.city"]}>
              <Input id="ff-city" value={address.city} onChange={set("city")} autoComplete="address-level2" />
            </Field>
            <Field label="State / region" htmlFor="ff-state" error={issues["address.stateOrRegion"]}>
              <Input
                id="ff-state"
                value={address.stateOrRegion}
                onChange={set("stateOrRegion")}
                autoComplete="address-level1"
              />
            </Field>
            <Field label="Postal code" htmlFor="ff-postal" error={issues["address.postalCode"]}>
              <Input
                id="ff-postal"
                value={address.postalCode}
                onChange={set("postalCode")}
                autoComplete="postal-code"
              />
            </Field>
            <Field label="Country code" htmlFor="ff-country" error={issues["address.countryCode"]}>
              <Input
                id="ff-country"
                value={address.countryCode}
                onChange={set("countryCode")}
                maxLength={2}
                autoComplete="country"
              />
            </Field>
          </fieldset>
          <fieldset className="grid gap-2">
            <legend className="mb-2 font-medium text-sm">Items (by seller SKU)</legend>
            {items.map((it, i) => (
              <div key={i} className="flex items-end gap-2">
                <Field
                  label={i === 0 ? "SKU" : <span className="sr-only">SKU</span>}
                  htmlFor={`ff-sku-${i}`}
                  error={issues[`items.${i}.sellerSku`]}
                  className="flex-1"
                >
                  <Input
                    id={`ff-sku-${i}`}
                    value={it.sellerSku}
                    placeholder="SAMPLE-KIT"
                    onChange={(e) => {
                      setItems(items.map((x, j) => (j === i ? { ...x, sellerSku: e.target.value } : x)));
                      preview.reset();
                    }}
                  />
                </Field>
                <Field
                  label={i === 0 ? "Qty" : <span className="sr-only">Qty</span>}
                  htmlFor={`ff-qty-${i}`}
                  className="w-20"
                >
                  <Input
                    id={`ff-qty-${i}`}
                    type="number"
                    min={1}
                    max={999}
                    value={it.quantity}
                    onChange={(e) => {
                      setItems(
                        items.map((x, j) => (j === i ? { ...x, quantity: Number(e.target.value) || 0 } : x)),
                      );
                      preview.reset();
                    }}
                  />
                </Field>
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  aria-label="Remove item"
                  disabled={items.length === 1}
                  onClick={() => setItems(items.filter((_, j) => j !== i))}
                >
                  <Trash2 aria-hidden />
                </Button>
              </div>
            ))}
            {issues.items && <p className="text-destructive text-sm">{issues.items}</p>}
            <Button
              type="button"
              variant="outline"
              size="sm"
              className="justify-self-start"
              onClick={() => setItems([...items, { sellerSku: "", quantity: 1 }])}
            >
              <Plus aria-hidden /> Add item
            </Button>
          </fieldset>
          <Button type="submit" disabled={preview.isPending} className="justify-self-start">
            {preview.isPending && <Spinner />}
            Preview
          </Button>
        </form>

        {preview.data && (
          <div className="mt-6 grid gap-3" data-testid="preview-options">
            <h3 className="font-medium text-sm">Shipping options</h3>
            {preview.data.options.map((o) => (
              <label
                key={o.shippingSpeedCategory}
                className="flex cursor-pointer flex-col gap-1 rounded-lg border p-3 has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-80"
              >
                <span className="flex items-center justify-between gap-2">
                  <span className="flex items-center gap-2 font-medium">
                    <input
                      type="radio"
                      name="speed"
                      value={o.shippingSpeedCategory}
                      disabled={!o.isFulfillable}
                      checked={speed === o.shippingSpeedCategory}
                      onChange={() => setSpeed(o.shippingSpeedCategory as ShippingSpeed)}
                    />
                    {o.shippingSpeedCategory}
                  </span>
                  {o.isFulfillable ? (
                    <span className="font-medium tabular-nums">
                      {o.totalFee ? `${o.totalFee.value} ${o.totalFee.currencyCode}` : "—"}
                    </span>
                  ) : (
                    <Badge variant="destructive">Can't ship</Badge>
                  )}
                </span>
                {o.isFulfillable ? (
                  <span className="text-muted-foreground text-xs">
                    Arrives {date(o.earliestArrival)}–{date(o.latestArrival)}
                    {o.estimatedWeight ? ` · ${o.estimatedWeight}` : ""} ·{" "}
                    {o.fees.map((f) => `${f.name.replace(/^FBA/, "")} ${f.value}`).join(", ")}
                  </span>
                ) : (
                  <span className="text-destructive text-xs" data-testid="unfulfillable-reasons">
                    {[
                      ...o.orderUnfulfillableReasons,
                      ...o.unfulfillableItems.map((i) => `${i.sellerSku}: ${i.reasons.join(", ")}`),
                    ].join(" · ") || "Amazon cannot fulfil this"}
                  </span>
                )}
              </label>
            ))}
            <Field label="Packing-slip comment" htmlFor="ff-comment" hint={`${comment.length} / 750`}>
              <Textarea
                id="ff-comment"
                rows={2}
                value={comment}
                maxLength={750}
                onChange={(e) => setComment(e.target.value)}
              />
            </Field>
          </div>
        )}
      </CardContent>
      {preview.data && (
        <CardFooter>
          <Button onClick={submitCreate} disabled={!speed || create.isPending}>
            {create.isPending && <Spinner />}
            Create order{speed ? ` (${speed})` : ""}
          </Button>
        </CardFooter>
      )}
    </Card>
  );
}

function OrderDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.fulfillment.get.queryOptions({ workspaceId: ws.id, id }));
  const freshStatus = q.data?.status;
  // Opening an order refreshes it from Amazon; keep the list's badge in step.
  useEffect(() => {
    if (freshStatus) void queryClient.invalidateQueries({ queryKey: trpc.fulfillment.list.queryKey() });
  }, [freshStatus, queryClient, trpc]);
  const cancel = useMutation(
    trpc.fulfillment.cancel.mutationOptions({
      onSuccess: async () => {
        toast.success("Order cancelled");
        await queryClient.invalidateQueries({ queryKey: trpc.fulfillment.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.fulfillment.get.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const o = q.data;
  return (
    <Card data-testid="fulfillment-detail">
      <CardHeader>
        <div className="flex items-start justify-between gap-2">
          <div className="min-w-0">
            <CardTitle className="truncate">{o ? o.sellerFulfillmentOrderId : "Order"}</CardTitle>
            <CardDescription>
              {o ? `${o.shippingSpeedCategory} · created ${date(o.createdAt)}` : "Loading…"}
            </CardDescription>
          </div>
          {o && <Badge variant={statusVariant(o.status)}>{o.status}</Badge>}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        {q.isLoading && <Skeleton className="h-24 w-full" />}
        {q.error && <p className="text-destructive">{errorMessage(q.error)}</p>}
        {o && (
          <>
            {o.refreshError && (
              <p className="rounded-md bg-warning/10 px-3 py-2 text-warning">{o.refreshError}</p>
            )}
            <div className="grid gap-1">
              <span className="text-muted-foreground text-xs uppercase tracking-wide">Ship to</span>
              <span>
                {o.destination.name}, {o.destination.addressLine1}, {o.destination.city}{" "}
                {o.destination.stateOrRegion} {o.destination.postalCode}, {o.destination.countryCode}
              </span>
              {o.lead && (
                <Link
                  className="text-primary text-xs hover:underline"
                  href={`/${ws.slug}/leads/${o.lead.id}`}
                >
                  Lead: {o.lead.name || o.lead.email}
                </Link>
              )}
            </div>
            <div className="grid gap-1">
              <span className="text-muted-foreground text-xs uppercase tracking-wide">Items</span>
              {o.items.map((i) => (
                <span key={i.sellerFulfillmentOrderItemId}>
                  {i.quantity} × {i.sellerSku}
                </span>
              ))}
              {o.estimatedTotal && (
                <span className="text-muted-foreground text-xs">
                  Estimated fees {o.estimatedTotal.value} {o.estimatedTotal.currencyCode}
                </span>
              )}
            </div>
            <div className="grid gap-2" data-testid="shipments">
              <span className="text-muted-foreground text-xs uppercase tracking-wide">Shipments</span>
              {o.shipments.length === 0 ? (
                <span className="text-muted-foreground">
                  No shipment yet — Amazon is preparing the order.
                </span>
              ) : (
                o.shipments.map((s) => (
                  <div key={s.amazonShipmentId} className="rounded-md border p-2">
                    <div className="flex items-center justify-between">
                      <span className="font-medium">{s.amazonShipmentId}</span>
                      <Badge variant={s.status === "SHIPPED" ? "success" : "secondary"}>{s.status}</Badge>
                    </div>
                    {s.packages.map((p) => (
                      <div key={p.packageNumber} className="text-muted-foreground text-xs">
                        Package {p.packageNumber}: {p.carrierCode} {p.trackingNumber ?? "(no tracking yet)"}
                      </div>
                    ))}
                  </div>
                ))
              )}
            </div>
          </>
        )}
      </CardContent>
      <CardFooter className="flex flex-wrap items-center gap-2">
        {o && ws.canWrite && (
          <>
            <Button
              variant="outline"
              disabled={Boolean(o.cancelBlockedReason) || cancel.isPending}
              onClick={() => {
                if (window.confirm("Cancel this fulfillment order at Amazon?"))
                  cancel.mutate({ workspaceId: ws.id, id });
              }}
            >
              {cancel.isPending ? <Spinner /> : <XCircle aria-hidden />}
              Cancel order
            </Button>
            {o.cancelBlockedReason && (
              <span className="text-muted-foreground text-xs">{o.cancelBlockedReason}</span>
            )}
          </>
        )}
        <Button variant="ghost" className="ml-auto" onClick={onClose}>
          Close
        </Button>
      </CardFooter>
    </Card>
  );
}

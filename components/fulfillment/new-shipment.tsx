"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  createFulfillmentInput,
  previewFulfillmentInput,
  type ShippingSpeed,
} from "@/server/services/integrations/amazon/schemas";
import { LeadPicker } from "./lead-picker";
import { ShipmentItems } from "./shipment-items";
import { ShippingOptions } from "./shipping-options";

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

export function NewShipment({ onCreated }: { onCreated: (id: string) => void }) {
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
          <ShipmentItems
            items={items}
            issues={issues}
            onChange={(next) => {
              setItems(next);
              preview.reset();
            }}
          />
          <Button type="submit" disabled={preview.isPending} className="justify-self-start">
            {preview.isPending && <Spinner />}
            Preview
          </Button>
        </form>

        {preview.data && (
          <div className="mt-6 grid gap-3" data-testid="preview-options">
            <h3 className="font-medium text-sm">Shipping options</h3>
            <ShippingOptions options={preview.data.options} speed={speed} onPick={setSpeed} />
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

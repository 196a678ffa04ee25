"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/lib/toast";
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

/** The "Ship to" inputs, in order; `wide` ones span both columns. */
const ADDRESS_FIELDS: {
  key: keyof typeof emptyAddress;
  id: string;
  label: string;
  autoComplete: string;
  wide?: boolean;
  maxLength?: number;
}[] = [
  { key: "name", id: "ff-name", label: "Name", autoComplete: "name", wide: true },
  { key: "addressLine1", id: "ff-line1", label: "Address", autoComplete: "address-line1", wide: true },
  { key: "addressLine2", id: "ff-line2", label: "Address line 2", autoComplete: "address-line2", wide: true },
  { key: "city", id: "ff-city", label: "City", autoComplete: "address-level2" },
  { key: "stateOrRegion", id: "ff-state", label: "State / region", autoComplete: "address-level1" },
  { key: "postalCode", id: "ff-postal", label: "Postal code", autoComplete: "postal-code" },
  { key: "countryCode", id: "ff-country", label: "Country code", autoComplete: "country", maxLength: 2 },
];

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
            {ADDRESS_FIELDS.map((f) => (
              <Field
                key={f.key}
                label={f.label}
                htmlFor={f.id}
                error={issues[`address.${f.key}`]}
                className={f.wide ? "sm:col-span-2" : undefined}
              >
                <Input
                  id={f.id}
                  value={address[f.key]}
                  onChange={set(f.key)}
                  maxLength={f.maxLength}
                  autoComplete={f.autoComplete}
                />
              </Field>
            ))}
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

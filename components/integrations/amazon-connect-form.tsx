"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  connectAmazonInput,
  MARKETPLACES,
  REGION_LABELS,
} from "@/server/services/integrations/amazon/schemas";

export const nativeSelectClass =
  "h-9 w-full rounded-md border border-input bg-transparent px-3 text-base shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 md:text-sm dark:bg-input/30";

const emptyForm = {
  clientId: "",
  clientSecret: "",
  refreshToken: "",
  region: "na",
  marketplaceId: "ATVPDKIKX0DER",
  ordersApiVersion: "v0",
};

type ConnectForm = typeof emptyForm;

/** The connect form's values and whether it was submitted (its errors show from then on). */
export function useConnectDraft() {
  const [form, setForm] = useState(emptyForm);
  const [submitted, setSubmitted] = useState(false);
  return {
    form,
    setForm,
    submitted,
    setSubmitted,
    reset: () => {
      setForm(emptyForm);
      setSubmitted(false);
    },
  };
}

/** Login with Amazon credentials, region, marketplace and Orders API; checked with Amazon before saving. */
export function AmazonConnectForm({
  draft,
  connected,
  onCancel,
  onConnected,
}: {
  draft: ReturnType<typeof useConnectDraft>;
  connected: boolean;
  onCancel: () => void;
  onConnected: () => Promise<void>;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const { form, setForm, submitted, setSubmitted } = draft;
  const connect = useMutation(
    trpc.amazon.connect.mutationOptions({
      onSuccess: async (s) => {
        toast.success(`Connected to ${"accountName" in s ? s.accountName : "Amazon"}`);
        draft.reset();
        await onConnected();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const check = connectAmazonInput.safeParse(form);
  const issues: Record<string, string> =
    submitted && !check.success
      ? Object.fromEntries(check.error.issues.map((i) => [i.path.join("."), i.message]))
      : {};
  const set = (k: keyof ConnectForm) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <form
      className="grid gap-3 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (check.success) connect.mutate({ workspaceId: ws.id, ...check.data });
      }}
    >
      <Field label="LWA client id" htmlFor="amz-client-id" error={issues.clientId} className="sm:col-span-2">
        <Input
          id="amz-client-id"
          autoComplete="off"
          placeholder="amzn1.application-oa2-client.…"
          value={form.clientId}
          onChange={set("clientId")}
        />
      </Field>
      <Field
        label="LWA client secret"
        htmlFor="amz-client-secret"
        error={issues.clientSecret}
        className="sm:col-span-2"
      >
        <Input
          id="amz-client-secret"
          type="password"
          autoComplete="off"
          value={form.clientSecret}
          onChange={set("clientSecret")}
        />
      </Field>
      <Field
        label="Refresh token"
        htmlFor="amz-refresh-token"
        error={issues.refreshToken}
        className="sm:col-span-2"
      >
        <Input
          id="amz-refresh-token"
          type="password"
          autoComplete="off"
          placeholder="Atzr|…"
          value={form.refreshToken}
          onChange={set("refreshToken")}
        />
      </Field>
      <Field label="Region" htmlFor="amz-region" error={issues.region}>
        <select id="amz-region" className={nativeSelectClass} value={form.region} onChange={set("region")}>
          {Object.entries(REGION_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v} ({k})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Marketplace" htmlFor="amz-marketplace" error={issues.marketplaceId}>
        <select
          id="amz-marketplace"
          className={nativeSelectClass}
          value={form.marketplaceId}
          onChange={set("marketplaceId")}
        >
          {MARKETPLACES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.id})
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Orders API"
        htmlFor="amz-orders-api"
        className="sm:col-span-2"
        hint="v0 is the long-standing API (about one request a minute); 2026-01-01 is its successor."
      >
        <select
          id="amz-orders-api"
          className={nativeSelectClass}
          value={form.ordersApiVersion}
          onChange={set("ordersApiVersion")}
        >
          <option value="v0">Orders v0</option>
          <option value="2026-01-01">Orders 2026-01-01</option>
        </select>
      </Field>
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={connect.isPending}>
          {connect.isPending && <Spinner />}
          {connected ? "Reconnect" : "Connect Amazon"}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <p className="text-muted-foreground text-xs sm:col-span-2">
        We check the credentials with Amazon before saving them, encrypted. They are never shown again.
      </p>
    </form>
  );
}

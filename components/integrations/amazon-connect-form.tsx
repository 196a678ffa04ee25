"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { useOnDemand } from "@/hooks/use-on-demand";
import { MARKETPLACES, REGION_LABELS } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

// The form's Zod schema loads when the form is first used (focused or sent), not with the
// Integrations page (issue 15, page weight); the server checks the same schema again.
const loadSchema = () =>
  import("@/server/services/integrations/amazon/schemas").then((m) => m.connectAmazonInput);

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

/** The secret-ish text fields, one a row: Login with Amazon's app id and secret, and the seller's token. */
const CREDENTIALS: {
  key: keyof ConnectForm;
  id: string;
  label: string;
  type?: "password";
  placeholder?: string;
}[] = [
  {
    key: "clientId",
    id: "amz-client-id",
    label: "LWA client id (empty: this server's Amazon app)",
    placeholder: "amzn1.application-oa2-client.…",
  },
  {
    key: "clientSecret",
    id: "amz-client-secret",
    label: "LWA client secret (empty: this server's)",
    type: "password",
  },
  {
    key: "refreshToken",
    id: "amz-refresh-token",
    label: "Refresh token",
    type: "password",
    placeholder: "Atzr|…",
  },
];

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
  const [schema, requestSchema] = useOnDemand(loadSchema);
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
  const check = schema?.safeParse(form);
  const issues: Record<string, string> =
    submitted && check && !check.success
      ? Object.fromEntries(check.error.issues.map((i) => [i.path.join("."), i.message]))
      : {};
  const set = (k: keyof ConnectForm) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <form
      className="grid gap-3 sm:grid-cols-2"
      onFocusCapture={() => void requestSchema()}
      onSubmit={async (e) => {
        e.preventDefault();
        const checked = (await requestSchema()).safeParse(form);
        setSubmitted(true);
        if (checked.success) connect.mutate({ workspaceId: ws.id, ...checked.data });
      }}
    >
      {CREDENTIALS.map((c) => (
        <Field key={c.key} label={c.label} htmlFor={c.id} error={issues[c.key]} className="sm:col-span-2">
          <Input
            id={c.id}
            type={c.type}
            autoComplete="off"
            placeholder={c.placeholder}
            value={form[c.key]}
            onChange={set(c.key)}
          />
        </Field>
      ))}
      {PLACE.map((c) => (
        <SelectField
          key={c.key}
          id={c.id}
          label={c.label}
          error={issues[c.key]}
          value={form[c.key]}
          onChange={set(c.key)}
          options={c.options}
        />
      ))}
      <SelectField
        id="amz-orders-api"
        label="Orders API"
        className="sm:col-span-2"
        hint="v0 is the long-standing API (about one request a minute); 2026-01-01 is its successor."
        value={form.ordersApiVersion}
        onChange={set("ordersApiVersion")}
        options={[
          ["v0", "Orders v0"],
          ["2026-01-01", "Orders 2026-01-01"],
        ]}
      />
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

/** Where the seller sells: the API region and the marketplace, side by side. */
const PLACE: { key: keyof ConnectForm; id: string; label: string; options: [string, string][] }[] = [
  {
    key: "region",
    id: "amz-region",
    label: "Region",
    options: Object.entries(REGION_LABELS).map(([k, v]) => [k, `${v} (${k})`]),
  },
  {
    key: "marketplaceId",
    id: "amz-marketplace",
    label: "Marketplace",
    options: MARKETPLACES.map((m) => [m.id, `${m.name} (${m.id})`]),
  },
];

/** A labelled native select over `[value, label]` options. */
function SelectField({
  id,
  label,
  error,
  hint,
  className,
  value,
  onChange,
  options,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  className?: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  options: [value: string, label: string][];
}) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint} className={className}>
      <select id={id} className={nativeSelectClass} value={value} onChange={onChange}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </Field>
  );
}

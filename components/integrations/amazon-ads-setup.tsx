"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { useOnDemand } from "@/hooks/use-on-demand";
import { REGION_LABELS } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { nativeSelectClass } from "./amazon-connect-form";

// Loaded when the form is first used, not with the page (issue 15, page weight).
const loadSchema = () =>
  import("@/server/services/integrations/amazon-ads/schemas").then((m) => m.connectAmazonAdsInput);

/** Choose the advertising profile, then the Attribution advertiser (and publisher entry). */
export function SetupPickers({
  step,
  onDone,
}: {
  step: "profile" | "advertiser";
  onDone: () => Promise<void>;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const profiles = useQuery({
    ...trpc.integrations.amazonAds.profiles.queryOptions({ workspaceId: ws.id }),
    enabled: step === "profile",
  });
  const lists = useQuery({
    ...trpc.integrations.amazonAds.advertisers.queryOptions({ workspaceId: ws.id }),
    enabled: step === "advertiser",
  });
  const [profileId, setProfileId] = useState("");
  const [advertiserId, setAdvertiserId] = useState("");
  const [publisherId, setPublisherId] = useState("");
  const done = { onSuccess: onDone, onError: (e: unknown) => toast.error(errorMessage(e)) };
  const chooseProfile = useMutation(trpc.integrations.amazonAds.chooseProfile.mutationOptions(done));
  const chooseAdvertiser = useMutation(trpc.integrations.amazonAds.chooseAdvertiser.mutationOptions(done));

  if (step === "profile") {
    if (profiles.isPending) return <Skeleton className="h-16 rounded-lg" />;
    if (profiles.isError) return <p className="text-destructive">{errorMessage(profiles.error)}</p>;
    const value = profileId || profiles.data[0]?.profileId || "";
    return (
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          chooseProfile.mutate({ workspaceId: ws.id, profileId: value });
        }}
      >
        <Field label="Advertising profile" htmlFor="ads-profile" className="min-w-56 flex-1">
          <select
            id="ads-profile"
            className={nativeSelectClass}
            value={value}
            onChange={(e) => setProfileId(e.target.value)}
          >
            {profiles.data.map((p) => (
              <option key={p.profileId} value={p.profileId}>
                {p.name}
                {p.currency ? ` · ${p.currency}` : ""}
              </option>
            ))}
          </select>
        </Field>
        <Button type="submit" disabled={!value || chooseProfile.isPending}>
          {chooseProfile.isPending && <Spinner />}
          Use this profile
        </Button>
      </form>
    );
  }
  if (lists.isPending) return <Skeleton className="h-16 rounded-lg" />;
  if (lists.isError) return <p className="text-destructive">{errorMessage(lists.error)}</p>;
  const adv = advertiserId || lists.data.advertisers[0]?.advertiserId || "";
  const pub = publisherId || lists.data.suggestedPublisherId || "";
  return (
    <form
      className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        chooseAdvertiser.mutate({ workspaceId: ws.id, advertiserId: adv, publisherId: pub || undefined });
      }}
    >
      <Field label="Attribution advertiser" htmlFor="ads-advertiser">
        <select
          id="ads-advertiser"
          className={nativeSelectClass}
          value={adv}
          onChange={(e) => setAdvertiserId(e.target.value)}
        >
          {lists.data.advertisers.map((a) => (
            <option key={a.advertiserId} value={a.advertiserId}>
              {a.name || a.advertiserId}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Publisher entry for our links" htmlFor="ads-publisher">
        <select
          id="ads-publisher"
          className={nativeSelectClass}
          value={pub}
          onChange={(e) => setPublisherId(e.target.value)}
        >
          {lists.data.publishers.map((p) => (
            <option key={p.publisherId} value={p.publisherId}>
              {p.name || p.publisherId}
              {p.macroEnabled ? " (macro)" : ""}
            </option>
          ))}
        </select>
      </Field>
      <Button type="submit" disabled={!adv || chooseAdvertiser.isPending}>
        {chooseAdvertiser.isPending && <Spinner />}
        Use these
      </Button>
    </form>
  );
}

const emptyForm = { clientId: "", clientSecret: "", refreshToken: "", region: "na" };

/** A Login with Amazon grant with the Ads scope, checked with Amazon (GET /v2/profiles) before saving. */
export function ConnectForm({
  connected,
  onCancel,
  onConnected,
}: {
  connected: boolean;
  onCancel: () => void;
  onConnected: () => Promise<void>;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [form, setForm] = useState(emptyForm);
  const [submitted, setSubmitted] = useState(false);
  const [schema, requestSchema] = useOnDemand(loadSchema);
  const connect = useMutation(
    trpc.integrations.amazonAds.connect.mutationOptions({
      onSuccess: async () => {
        toast.success("Amazon Ads connected");
        setForm(emptyForm);
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
  const set = (k: keyof typeof emptyForm) => (e: { target: { value: string } }) =>
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
      <Field
        label="Refresh token (Amazon Ads scope)"
        htmlFor="ads-refresh-token"
        error={issues.refreshToken}
        className="sm:col-span-2"
      >
        <Input
          id="ads-refresh-token"
          type="password"
          autoComplete="off"
          placeholder="Atzr|…"
          value={form.refreshToken}
          onChange={set("refreshToken")}
        />
      </Field>
      <Field label="LWA client id (optional)" htmlFor="ads-client-id" error={issues.clientId}>
        <Input id="ads-client-id" autoComplete="off" value={form.clientId} onChange={set("clientId")} />
      </Field>
      <Field label="LWA client secret (optional)" htmlFor="ads-client-secret" error={issues.clientSecret}>
        <Input
          id="ads-client-secret"
          type="password"
          autoComplete="off"
          value={form.clientSecret}
          onChange={set("clientSecret")}
        />
      </Field>
      <p className="-mt-1 text-muted-foreground text-xs sm:col-span-2">
        Leave both empty to use this server's Amazon app (the one the Amazon Seller card uses).
      </p>
      <Field label="Region" htmlFor="ads-region" error={issues.region} className="sm:col-span-2">
        <select id="ads-region" className={nativeSelectClass} value={form.region} onChange={set("region")}>
          {Object.entries(REGION_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v} ({k})
            </option>
          ))}
        </select>
      </Field>
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <Button type="submit" disabled={connect.isPending}>
          {connect.isPending && <Spinner />}
          {connected ? "Reconnect" : "Connect Amazon Ads"}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      <p className="text-muted-foreground text-xs sm:col-span-2">
        We check the grant with Amazon before saving it, encrypted. It is never shown again.
      </p>
    </form>
  );
}

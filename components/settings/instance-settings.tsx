"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { CREDENTIAL_FIELDS, type CredentialsView } from "@/server/services/instance/schemas";
import { EmailWebhooksCard } from "./email-webhooks-card";

const SOURCE_LABEL: Record<NonNullable<CredentialsView["source"]>, string> = {
  instance: "Using the values saved here",
  environment: "Using the server's environment",
};

function ProviderCard({ view }: { view: CredentialsView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const spec = CREDENTIAL_FIELDS[view.provider];
  const [values, setValues] = useState<Record<string, string>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.instance.credentials.queryKey() });
  const save = useMutation(
    trpc.instance.updateCredentials.mutationOptions({
      onSuccess: async () => {
        toast.success(`${spec.label} credentials saved`);
        setValues({});
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const clear = useMutation(
    trpc.instance.clearCredentials.mutationOptions({
      onSuccess: async () => {
        toast.success(`${spec.label}: back to the environment's credentials`);
        setValues({});
        await refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const value = (key: string) => values[key] ?? view.values[key] ?? "";
  return (
    <form
      data-testid={`instance-${view.provider}`}
      onSubmit={(e) => {
        e.preventDefault();
        const all = Object.fromEntries(spec.fields.map((f) => [f.key, value(f.key)]));
        save.mutate({ provider: view.provider, values: all });
      }}
    >
      <Card>
        <CardHeader>
          <CardTitle className="flex flex-wrap items-center gap-2">
            {spec.label}
            <Badge
              variant={view.source ? "success" : "outline"}
              data-testid={`instance-${view.provider}-source`}
            >
              {view.source ? SOURCE_LABEL[view.source] : "Not set up"}
            </Badge>
          </CardTitle>
          <CardDescription>
            {spec.hint} Environment default: {spec.fields.map((f) => f.env).join(", ")}{" "}
            {view.environmentSet ? "(set)" : "(not set)"}.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid items-start gap-4 sm:grid-cols-2">
          {spec.fields.map((f) => {
            const id = `instance-${view.provider}-${f.key}`;
            return (
              <Field
                key={f.key}
                label={f.label}
                htmlFor={id}
                hint={f.secret && view.secretsSet[f.key] ? "Set. Leave empty to keep it." : undefined}
              >
                <Input
                  id={id}
                  data-testid={id}
                  type={f.secret ? "password" : "text"}
                  autoComplete="off"
                  placeholder={f.secret && view.secretsSet[f.key] ? "••••••••" : ""}
                  value={f.secret ? (values[f.key] ?? "") : value(f.key)}
                  onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                />
              </Field>
            );
          })}
        </CardContent>
        <CardFooter className="justify-end gap-2">
          {view.source === "instance" && (
            <Button
              type="button"
              variant="outline"
              disabled={clear.isPending}
              onClick={() => clear.mutate({ provider: view.provider })}
            >
              Use the environment's
            </Button>
          )}
          <Button type="submit" data-testid={`instance-${view.provider}-save`} disabled={save.isPending}>
            {save.isPending && <Spinner />}
            Save
          </Button>
        </CardFooter>
      </Card>
    </form>
  );
}

/** Settings → Instance: the install's app credentials, for instance admins only. */
export function InstanceSettings() {
  const trpc = useTRPC();
  const me = useQuery(trpc.instance.me.queryOptions());
  const list = useQuery({
    ...trpc.instance.credentials.queryOptions(),
    enabled: me.data?.instanceAdmin === true,
  });
  if (me.isPending || (me.data?.instanceAdmin && list.isPending)) return <Skeleton className="h-64 w-full" />;
  if (!me.data?.instanceAdmin)
    return (
      <p role="status" className="text-sm text-muted-foreground" data-testid="instance-not-admin">
        Only an instance admin (whoever runs this install) can see these settings.
      </p>
    );
  return (
    <div className="grid gap-6">
      <p className="text-sm text-muted-foreground">
        App credentials for the whole install, shared by every workspace. Values saved here win over the
        server's environment; secrets are stored encrypted and never shown again. Google sign-in still uses
        the environment's GOOGLE_CLIENT_ID.
      </p>
      {(list.data ?? []).map((v) => (
        <ProviderCard key={v.provider} view={v} />
      ))}
      <EmailWebhooksCard />
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { CardContent } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Field } from "@/components/ui/field";
import { FormError, InputField } from "@/components/ui/form-field";
import { Label } from "@/components/ui/label";
import { OptionSelect, optionsOf } from "@/components/ui/option-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { AUTO_JOIN_ROLES } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { CardLoadError } from "./card-list-states";
import { ROLE_LABELS } from "./roles";
import { SaveFooter } from "./save-footer";

type Role = (typeof AUTO_JOIN_ROLES)[number];
interface Values {
  ssoRequired: boolean;
  autoJoinDomain: string;
  autoJoinRole: Role;
}

/**
 * Settings → Members, for admins: require company SSO for everyone in the workspace, and let people
 * with a verified address at the company's domain join by themselves (services/workspaces/sso.ts).
 */
export function SsoCard() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const query = useQuery(trpc.workspace.sso.get.queryOptions({ workspaceId: ws.id }));
  return (
    <CardSection
      title="Single sign-on"
      description="Decide how people get into this workspace: through your company's identity provider only, and whether colleagues can join by themselves."
      bare
      data-testid="sso-card"
    >
      {query.isError ? (
        <CardContent>
          <CardLoadError query={query} />
        </CardContent>
      ) : query.isPending ? (
        <CardContent className="grid gap-4">
          <Skeleton className="h-5 w-64" />
          <Skeleton className="h-9 w-full" />
        </CardContent>
      ) : (
        <SsoForm
          key={JSON.stringify(query.data)}
          providerName={query.data.providerName}
          saved={{
            ssoRequired: query.data.ssoRequired,
            autoJoinDomain: query.data.autoJoinDomain ?? "",
            autoJoinRole: query.data.autoJoinRole as Role,
          }}
        />
      )}
    </CardSection>
  );
}

function SsoForm({ saved, providerName }: { saved: Values; providerName: string | null }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(saved);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const dirty =
    values.ssoRequired !== saved.ssoRequired ||
    values.autoJoinDomain.trim().toLowerCase() !== saved.autoJoinDomain ||
    values.autoJoinRole !== saved.autoJoinRole;

  const update = useMutation(
    trpc.workspace.sso.update.mutationOptions({
      onSuccess: async () => {
        toast.success("Single sign-on settings saved");
        setErrors({});
        setFormError(null);
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.sso.get.queryKey() });
      },
      onError: (err) => {
        const fields = fieldErrors(err);
        setErrors(fields);
        setFormError(Object.keys(fields).length ? null : errorMessage(err));
      },
    }),
  );

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!dirty) return;
    update.mutate({
      workspaceId: ws.id,
      ssoRequired: values.ssoRequired,
      autoJoinDomain: values.autoJoinDomain.trim() || null,
      autoJoinRole: values.autoJoinRole,
    });
  }

  const disabled = update.isPending;
  return (
    <form onSubmit={onSubmit} noValidate>
      <CardContent className="grid gap-6">
        <div className="flex items-start justify-between gap-4">
          <div className="grid gap-1">
            <Label htmlFor="sso-required">
              Require {providerName ? `“Sign in with ${providerName}”` : "single sign-on"}
            </Label>
            <p id="sso-required-hint" className="text-muted-foreground text-sm">
              {providerName
                ? `Members can open ${ws.name} only after signing in with ${providerName}. A password, passkey or Google/GitHub sign-in is refused here, and members cannot sign in with a password at all. API keys keep working. To switch this on, you must be signed in with ${providerName} yourself, so you cannot lock yourself out.`
                : "Single sign-on is not set up on this server. Its operator sets OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (see docs/SSO.md)."}
            </p>
          </div>
          <Switch
            id="sso-required"
            checked={values.ssoRequired}
            onCheckedChange={(v) => setValues((s) => ({ ...s, ssoRequired: v }))}
            disabled={disabled || (!providerName && !values.ssoRequired)}
            aria-describedby="sso-required-hint"
            data-testid="sso-required-switch"
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <InputField
            id="sso-auto-join-domain"
            label="Auto-join domain"
            placeholder="acme.com"
            value={values.autoJoinDomain}
            onChange={(e) => {
              const autoJoinDomain = e.target.value;
              setValues((s) => ({ ...s, autoJoinDomain }));
              setErrors((x) => ({ ...x, autoJoinDomain: undefined }));
            }}
            disabled={disabled}
            error={errors.autoJoinDomain}
            hint="Anyone who signs in with a verified address at this domain becomes a member. It must be your own address's domain; public mail services such as gmail.com are not accepted. Leave empty to invite people one by one."
            data-testid="sso-auto-join-domain"
          />
          <Field label="Joins as" htmlFor="sso-auto-join-role">
            <OptionSelect
              id="sso-auto-join-role"
              value={values.autoJoinRole}
              onChange={(v) => v && setValues((s) => ({ ...s, autoJoinRole: v as Role }))}
              options={optionsOf(AUTO_JOIN_ROLES, (r) => ROLE_LABELS[r])}
              disabled={disabled}
              testId="sso-auto-join-role"
            />
          </Field>
        </div>
        <FormError>{formError}</FormError>
      </CardContent>
      <SaveFooter
        dirty={dirty}
        invalid={false}
        pending={update.isPending}
        onDiscard={() => {
          setValues(saved);
          setErrors({});
          setFormError(null);
        }}
        saveTestId="sso-save"
      >
        Save
      </SaveFooter>
    </form>
  );
}

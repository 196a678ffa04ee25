"use client";

import type { inferRouterOutputs } from "@trpc/server";
import { AlertCircle, Link2 } from "lucide-react";
import Link from "next/link";
import { Controller, type UseFormReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { errorMessage } from "@/lib/trpc/client";
import type { AppRouter } from "@/server/api/root";
import { TIKTOK_PRIVACY_LEVELS } from "@/server/services/content/schemas";
import { FormSection } from "./editor-kit";
import type { FormIn, FormOut } from "./tiktok-form";

export const PRIVACY_LABEL: Record<(typeof TIKTOK_PRIVACY_LEVELS)[number], string> = {
  PUBLIC_TO_EVERYONE: "Everyone",
  MUTUAL_FOLLOW_FRIENDS: "Friends (mutual followers)",
  FOLLOWER_OF_CREATOR: "Followers",
  SELF_ONLY: "Only me",
};

/** What the connected creator may post (the integrations router's tiktokCreatorInfo). */
type TikTokCreator = NonNullable<inferRouterOutputs<AppRouter>["integrations"]["tiktokCreatorInfo"]>;

type CreatorInfo = {
  username: string;
  nickname: string | null;
  privacyLevels: string[];
};

/** Whose TikTok account the post goes to, or why the options cannot be shown yet. */
export function CreatorNotice({
  loading,
  error,
  creator,
  checked,
  integrationsHref,
}: {
  loading: boolean;
  error: string | null;
  creator: CreatorInfo | null;
  checked: boolean;
  integrationsHref: string;
}) {
  if (loading) {
    return (
      <p className="flex items-center gap-2 text-muted-foreground text-sm" data-testid="tiktok-creator">
        <Spinner className="size-3.5" /> Checking what your TikTok account allows…
      </p>
    );
  }
  if (error) {
    return (
      <p role="alert" className="flex gap-2 text-destructive text-sm" data-testid="tiktok-creator">
        <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>{error}</span>
      </p>
    );
  }
  if (creator) {
    return (
      <p className="text-muted-foreground text-sm" data-testid="tiktok-creator">
        Posting as <span className="font-medium text-foreground">@{creator.username}</span>
        {creator.nickname ? ` (${creator.nickname})` : ""}. Only the options TikTok allows for this account
        are offered.
      </p>
    );
  }
  if (!checked) return null;
  return (
    <p className="flex gap-2 text-muted-foreground text-sm" data-testid="tiktok-creator">
      <Link2 className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>
        <Link href={integrationsHref} className="text-primary underline">
          Connect TikTok
        </Link>{" "}
        to choose who can watch: TikTok decides which options your account has. Until then the post is private
        (Only me).
      </span>
    </p>
  );
}

/** Who can watch, and comments, duet and stitch, offering only what the creator's account allows. */
export function TikTokAudience({
  form,
  creator,
  creatorQuery,
  readOnly,
  integrationsHref,
}: {
  form: UseFormReturn<FormIn, unknown, FormOut>;
  creator: TikTokCreator | null;
  creatorQuery: { isLoading: boolean; isSuccess: boolean; error: unknown };
  readOnly: boolean;
  integrationsHref: string;
}) {
  const { errors } = form.formState;
  return (
    <FormSection title="Audience" description="Applied when the video is posted to TikTok.">
      <CreatorNotice
        loading={creatorQuery.isLoading}
        error={creatorQuery.error ? errorMessage(creatorQuery.error) : null}
        creator={creator}
        checked={creatorQuery.isSuccess}
        integrationsHref={integrationsHref}
      />
      <Field label="Who can watch" htmlFor="tiktok-privacy" error={errors.privacyLevel?.message}>
        <Controller
          control={form.control}
          name="privacyLevel"
          render={({ field }) => (
            <Select
              value={field.value || undefined}
              onValueChange={(value) => {
                field.onChange(value);
                form.clearErrors("privacyLevel");
              }}
              disabled={readOnly || !creator}
            >
              <SelectTrigger id="tiktok-privacy" className="w-full sm:w-64" data-testid="privacy-select">
                <SelectValue placeholder={creator ? "Choose who can watch" : PRIVACY_LABEL.SELF_ONLY} />
              </SelectTrigger>
              <SelectContent>
                {TIKTOK_PRIVACY_LEVELS.filter(
                  (p) => creator?.privacyLevels.includes(p) || (!creator && p === field.value),
                ).map((p) => (
                  <SelectItem key={p} value={p}>
                    {PRIVACY_LABEL[p]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        {(
          [
            ["allowComments", "Allow comments", creator?.commentDisabled],
            ["allowDuet", "Allow duet", creator?.duetDisabled],
            ["allowStitch", "Allow stitch", creator?.stitchDisabled],
          ] as const
        ).map(([name, label, offAtTikTok]) => (
          <Controller
            key={name}
            control={form.control}
            name={name}
            render={({ field }) => (
              <div className="grid gap-1">
                <div className="flex items-center gap-2">
                  <Switch
                    id={`tiktok-${name}`}
                    checked={field.value && !offAtTikTok}
                    onCheckedChange={field.onChange}
                    disabled={readOnly || Boolean(offAtTikTok)}
                    data-testid={`tiktok-${name}`}
                  />
                  <Label htmlFor={`tiktok-${name}`}>{label}</Label>
                </div>
                {offAtTikTok && (
                  <p className="text-muted-foreground text-xs">Turned off in your TikTok settings</p>
                )}
              </div>
            )}
          />
        ))}
      </div>
    </FormSection>
  );
}

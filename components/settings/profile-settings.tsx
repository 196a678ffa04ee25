"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { CardContent } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { initials } from "@/lib/utils";
import { CardLoadError } from "./card-list-states";
import { SaveFooter } from "./save-footer";

interface Profile {
  id: string;
  email: string;
  name: string | null;
  avatarUrl: string | null;
}

export function ProfileSettings() {
  const trpc = useTRPC();
  const profile = useQuery(trpc.auth.profile.queryOptions());

  return (
    <CardSection
      title="Your profile"
      description="How you appear to teammates in every workspace you belong to."
      bare
    >
      {profile.isPending ? (
        <CardContent className="grid gap-6" aria-busy="true">
          <div className="flex items-center gap-4">
            <Skeleton className="size-16 rounded-full" />
            <Skeleton className="h-4 w-40" />
          </div>
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
        </CardContent>
      ) : profile.isError ? (
        <CardContent>
          <CardLoadError query={profile} className="" />
        </CardContent>
      ) : (
        <ProfileForm profile={profile.data} />
      )}
    </CardSection>
  );
}

function validateName(name: string) {
  const v = name.trim();
  if (!v) return "Name is required";
  if (v.length > 255) return "Name must be at most 255 characters";
  return undefined;
}

function validateAvatar(url: string) {
  const v = url.trim();
  if (!v) return undefined;
  if (!/^https?:\/\//i.test(v)) return "Avatar must be an http(s) URL";
  if (v.length > 2000) return "That URL is too long";
  try {
    new URL(v);
    return undefined;
  } catch {
    return "Enter a valid URL";
  }
}

function ProfileForm({ profile }: { profile: Profile }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [saved, setSaved] = useState({ name: profile.name ?? "", avatarUrl: profile.avatarUrl ?? "" });
  const [name, setName] = useState(saved.name);
  const [avatarUrl, setAvatarUrl] = useState(saved.avatarUrl);
  const [serverErrors, setServerErrors] = useState<Record<string, string | undefined>>({});
  const [brokenPreview, setBrokenPreview] = useState(false);

  const nameChanged = name.trim() !== saved.name;
  const avatarChanged = avatarUrl.trim() !== saved.avatarUrl;
  const nameError = (nameChanged ? validateName(name) : undefined) ?? serverErrors.name;
  const avatarError = (avatarChanged ? validateAvatar(avatarUrl) : undefined) ?? serverErrors.avatarUrl;
  const dirty = nameChanged || avatarChanged;
  const invalid = Boolean(
    (nameChanged && validateName(name)) || (avatarChanged && validateAvatar(avatarUrl)),
  );

  const update = useMutation(
    trpc.auth.updateProfile.mutationOptions({
      onSuccess: async (u) => {
        const next = { name: u.name ?? "", avatarUrl: u.avatarUrl ?? "" };
        setSaved(next);
        setName(next.name);
        setAvatarUrl(next.avatarUrl);
        setServerErrors({});
        toast.success("Profile saved");
        queryClient.setQueryData(trpc.auth.profile.queryKey(), (old) => (old ? { ...old, ...u } : old));
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.auth.profile.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.auth.session.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.workspace.members.list.queryKey() }),
        ]);
        // The account menu in the shell is rendered on the server.
        router.refresh();
      },
      onError: (err) => {
        setServerErrors(fieldErrors(err));
        toast.error(errorMessage(err));
      },
    }),
  );

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!dirty || invalid) return;
    update.mutate({
      ...(nameChanged ? { name: name.trim() } : {}),
      ...(avatarChanged ? { avatarUrl: avatarUrl.trim() || null } : {}),
    });
  }

  const preview = !avatarError && avatarUrl.trim() && !brokenPreview ? avatarUrl.trim() : undefined;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Profile">
      <CardContent className="grid gap-6">
        <div className="flex items-center gap-4">
          <Avatar className="size-16">
            {preview && (
              <AvatarImage
                src={preview}
                alt="Your avatar"
                onLoadingStatusChange={(s) => setBrokenPreview(s === "error")}
              />
            )}
            <AvatarFallback className="text-lg font-semibold">{initials(name, profile.email)}</AvatarFallback>
          </Avatar>
          <div className="min-w-0">
            <p className="truncate font-medium">{name.trim() || profile.email}</p>
            <p className="truncate text-sm text-muted-foreground">{profile.email}</p>
          </div>
        </div>
        <Field label="Name" htmlFor="profile-name" error={nameError}>
          <Input
            id="profile-name"
            name="name"
            autoComplete="name"
            value={name}
            maxLength={255}
            disabled={update.isPending}
            onChange={(e) => {
              setName(e.target.value);
              setServerErrors((s) => ({ ...s, name: undefined }));
            }}
          />
        </Field>
        <Field label="Email" htmlFor="profile-email" hint="Your sign-in address. It cannot be changed here.">
          <Input
            id="profile-email"
            type="email"
            value={profile.email}
            readOnly
            className="bg-muted/50 text-muted-foreground focus-visible:ring-0 dark:bg-muted/50"
          />
        </Field>
        <Field
          label="Avatar URL"
          htmlFor="profile-avatar"
          error={avatarError}
          hint={
            brokenPreview && !avatarError
              ? "That address did not load as an image; check it before saving."
              : "Link to a square image (https://…). Leave empty to show your initials."
          }
        >
          <Input
            id="profile-avatar"
            name="avatarUrl"
            type="url"
            inputMode="url"
            placeholder="https://example.com/me.png"
            value={avatarUrl}
            disabled={update.isPending}
            onChange={(e) => {
              setAvatarUrl(e.target.value);
              setBrokenPreview(false);
              setServerErrors((s) => ({ ...s, avatarUrl: undefined }));
            }}
          />
        </Field>
      </CardContent>
      <SaveFooter
        dirty={dirty}
        invalid={invalid}
        pending={update.isPending}
        onDiscard={() => {
          setName(saved.name);
          setAvatarUrl(saved.avatarUrl);
          setServerErrors({});
          setBrokenPreview(false);
        }}
        saveTestId="profile-save"
      >
        Save profile
      </SaveFooter>
    </form>
  );
}

"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { AlertCircle, Link2 } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  TIKTOK_CAPTION_MAX,
  TIKTOK_PRIVACY_LEVELS,
  tiktokFieldsSchema,
  titleSchema,
} from "@/server/services/content/schemas";
import { type ContentItem, readMeta } from "./content-meta";
import {
  CharCounter,
  checkedBy,
  EditorFrame,
  FormSection,
  type ScheduleDraft,
  useContentSave,
} from "./editor-kit";
import { MediaField } from "./media-field";
import { TikTokPreview } from "./previews";

const PRIVACY_LABEL: Record<(typeof TIKTOK_PRIVACY_LEVELS)[number], string> = {
  PUBLIC_TO_EVERYONE: "Everyone",
  MUTUAL_FOLLOW_FRIENDS: "Friends (mutual followers)",
  FOLLOWER_OF_CREATOR: "Followers",
  SELF_ONLY: "Only me",
};

const formSchema = z.object({
  title: titleSchema,
  body: z
    .string()
    .max(
      TIKTOK_CAPTION_MAX,
      `TikTok captions are limited to ${TIKTOK_CAPTION_MAX.toLocaleString("en-US")} characters`,
    ),
  videoUrl: checkedBy(tiktokFieldsSchema.shape.videoUrl, { optional: true }),
  mediaId: z.string().nullable(),
  // Empty until the creator picks one: TikTok asks apps not to preselect who can watch.
  privacyLevel: z.union([z.enum(TIKTOK_PRIVACY_LEVELS), z.literal("")]),
  allowComments: z.boolean(),
  allowDuet: z.boolean(),
  allowStitch: z.boolean(),
  coverTimeSec: z
    .number({ error: "Enter the cover time in seconds" })
    .min(0, "Cover time cannot be negative")
    .max(600, "The cover must be within the first 10 minutes"),
});
type FormIn = z.input<typeof formSchema>;
type FormOut = z.output<typeof formSchema>;

function defaults(item?: ContentItem): FormIn {
  const t = readMeta(item?.metadata).tiktok;
  return {
    title: item?.title ?? "",
    body: item?.body ?? "",
    videoUrl: t.videoUrl ?? "",
    mediaId: t.mediaId ?? null,
    privacyLevel: (TIKTOK_PRIVACY_LEVELS as readonly string[]).includes(t.privacyLevel ?? "")
      ? (t.privacyLevel as FormIn["privacyLevel"])
      : "",
    allowComments: t.allowComments ?? true,
    allowDuet: t.allowDuet ?? true,
    allowStitch: t.allowStitch ?? true,
    coverTimeSec: (t.coverTimeMs ?? 0) / 1000,
  };
}

export function TikTokEditor({
  item,
  readOnly,
  initialSchedule,
}: {
  item?: ContentItem;
  readOnly: boolean;
  initialSchedule?: ScheduleDraft;
}) {
  const ws = useWorkspace();
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(formSchema),
    mode: "onChange",
    defaultValues: defaults(item),
  });
  const { errors } = form.formState;
  const v = useWatch({ control: form.control }) as FormIn;
  const save = useContentSave({
    item,
    setFieldError: (field, message) => {
      const name = field === "tiktok" ? "videoUrl" : field;
      if (!(name in formSchema.shape)) return false;
      form.setError(name as keyof FormIn, { message });
      return true;
    },
  });

  const trpc = useTRPC();
  // TikTok: query the creator's options before posting and offer only those (rate limit 20/min).
  const creatorQuery = useQuery({
    ...trpc.integrations.tiktokCreatorInfo.queryOptions({ workspaceId: ws.id }),
    enabled: ws.canWrite && !readOnly,
    staleTime: 5 * 60_000,
    retry: false,
  });
  const creator = creatorQuery.data ?? null;
  const durationSec = useVideoDuration(errors.videoUrl ? "" : (v.videoUrl ?? "").trim());
  const tooLong =
    creator?.maxDurationSec != null && durationSec != null && durationSec > creator.maxDurationSec + 0.5;

  const onSave = (values: FormOut, scheduledAt: Date | undefined) => {
    if (creator) {
      if (!values.privacyLevel || !creator.privacyLevels.includes(values.privacyLevel)) {
        form.setError("privacyLevel", {
          message: values.privacyLevel
            ? `@${creator.username} cannot post as “${PRIVACY_LABEL[values.privacyLevel]}”. Choose one of the options TikTok offers.`
            : "Choose who can watch this video",
        });
        return;
      }
      if (tooLong) {
        form.setError("videoUrl", {
          message: `This video is ${formatDuration(durationSec!)} long; @${creator.username} can post videos up to ${formatDuration(creator.maxDurationSec!)}.`,
        });
        return;
      }
    }
    const tiktok = {
      // Not chosen (TikTok not connected yet): the server keeps its default, "Only me".
      ...(values.privacyLevel ? { privacyLevel: values.privacyLevel } : {}),
      allowComments: values.allowComments,
      allowDuet: values.allowDuet,
      allowStitch: values.allowStitch,
      coverTimeMs: Math.round(values.coverTimeSec * 1000),
      videoUrl: values.videoUrl.trim() || null,
      mediaId: values.videoUrl.trim() ? values.mediaId : null,
    };
    if (!item) save.create({ type: "tiktok", title: values.title, body: values.body, scheduledAt, tiktok });
    else
      save.update(
        { title: values.title, body: values.body, tiktok },
        { onSuccess: () => form.reset(form.getValues()) },
      );
  };

  const caption = v.body ?? "";
  return (
    <EditorFrame
      form={form}
      mode={item ? "edit" : "create"}
      readOnly={readOnly}
      pending={save.pending}
      initialSchedule={initialSchedule}
      onSave={onSave}
      fields={
        <>
          <FormSection title="Video">
            <Field
              label="Title"
              htmlFor="tiktok-title"
              error={errors.title?.message}
              hint="For your team and the content list; TikTok shows only the caption."
            >
              <Input
                id="tiktok-title"
                maxLength={500}
                data-testid="title-input"
                {...form.register("title")}
              />
            </Field>
            <div className="grid gap-2">
              <div className="flex items-center justify-between gap-2">
                <Label htmlFor="tiktok-caption">Caption</Label>
                <CharCounter value={caption.length} max={TIKTOK_CAPTION_MAX} testId="caption-counter" />
              </div>
              <Textarea
                id="tiktok-caption"
                rows={6}
                placeholder="Hook first. Add #hashtags and @mentions."
                aria-invalid={errors.body ? true : undefined}
                aria-describedby="tiktok-caption-hint"
                data-testid="body-input"
                {...form.register("body")}
              />
              <p id="tiktok-caption-hint" className="text-muted-foreground text-xs">
                #hashtags and @mentions are highlighted in the preview.
              </p>
              {errors.body && (
                <p role="alert" className="text-destructive text-sm">
                  {errors.body.message}
                </p>
              )}
            </div>
            <MediaField
              id="tiktok-video"
              label="Video"
              kind="video"
              value={v.videoUrl ?? ""}
              disabled={readOnly}
              error={errors.videoUrl?.message}
              hint={
                creator?.maxDurationSec
                  ? `An MP4, MOV or WebM from the media library, or a public http(s) URL; up to ${formatDuration(creator.maxDurationSec)} long for @${creator.username}.`
                  : "An MP4, MOV or WebM from the media library, or a public http(s) URL."
              }
              onChange={(url, assetId) => {
                form.setValue("videoUrl", url, { shouldDirty: true, shouldValidate: true });
                form.setValue("mediaId", assetId, { shouldDirty: true });
              }}
              testId="video-url-input"
            />
            {tooLong && !errors.videoUrl && (
              <p role="alert" className="-mt-2 text-destructive text-sm" data-testid="video-too-long">
                This video is {formatDuration(durationSec!)} long; @{creator!.username} can post videos up to{" "}
                {formatDuration(creator!.maxDurationSec!)}.
              </p>
            )}
            <Field
              label="Cover frame (seconds into the video)"
              htmlFor="tiktok-cover"
              error={errors.coverTimeSec?.message}
            >
              <Input
                id="tiktok-cover"
                type="number"
                inputMode="decimal"
                min={0}
                max={600}
                step={0.1}
                className="sm:max-w-40"
                {...form.register("coverTimeSec", { valueAsNumber: true })}
              />
            </Field>
          </FormSection>
          <FormSection title="Audience" description="Applied when the video is posted to TikTok.">
            <CreatorNotice
              loading={creatorQuery.isLoading}
              error={creatorQuery.error ? errorMessage(creatorQuery.error) : null}
              creator={creator}
              checked={creatorQuery.isSuccess}
              integrationsHref={`/${ws.slug}/integrations`}
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
                    <SelectTrigger
                      id="tiktok-privacy"
                      className="w-full sm:w-64"
                      data-testid="privacy-select"
                    >
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
        </>
      }
      preview={
        <TikTokPreview
          caption={caption}
          videoUrl={errors.videoUrl ? "" : (v.videoUrl ?? "").trim()}
          coverTimeMs={(Number(v.coverTimeSec) || 0) * 1000}
          handle={creator?.username ?? ws.slug}
          privacyLevel={v.privacyLevel || "SELF_ONLY"}
          allowComments={(v.allowComments ?? true) && !creator?.commentDisabled}
          allowDuet={(v.allowDuet ?? true) && !creator?.duetDisabled}
          allowStitch={(v.allowStitch ?? true) && !creator?.stitchDisabled}
        />
      }
    />
  );
}

type CreatorInfo = {
  username: string;
  nickname: string | null;
  privacyLevels: string[];
};

/** Whose TikTok account the post goes to, or why the options cannot be shown yet. */
function CreatorNotice({
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

/** The video's length in seconds, read from its metadata in the browser (null while unknown). */
function useVideoDuration(url: string) {
  const [duration, setDuration] = useState<{ url: string; sec: number } | null>(null);
  useEffect(() => {
    if (!url || !/^(https?:\/\/|\/)/i.test(url)) return;
    const video = document.createElement("video");
    video.preload = "metadata";
    video.muted = true;
    const onMeta = () => {
      if (Number.isFinite(video.duration)) setDuration({ url, sec: video.duration });
    };
    video.addEventListener("loadedmetadata", onMeta);
    video.src = url;
    return () => {
      video.removeEventListener("loadedmetadata", onMeta);
      video.removeAttribute("src");
      video.load();
    };
  }, [url]);
  return duration?.url === url ? duration.sec : null;
}

function formatDuration(sec: number) {
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

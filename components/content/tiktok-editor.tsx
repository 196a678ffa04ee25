"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useForm, useWatch } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc/client";
import { TIKTOK_CAPTION_MAX } from "@/server/services/content/schemas";
import type { ContentItem } from "./content-meta";
import { EditorFrame } from "./editor-frame";
import { CharCounter, FormSection } from "./editor-kit";
import type { ScheduleDraft } from "./editor-schedule";
import { MediaField } from "./media-field";
import { PRIVACY_LABEL, TikTokAudience } from "./tiktok-audience";
import { defaults, type FormIn, type FormOut, formSchema } from "./tiktok-form";
import { TikTokPreview } from "./tiktok-preview";
import { useContentSave } from "./use-content-save";
import { formatDuration, useVideoDuration } from "./use-video-duration";

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
          <TikTokAudience
            form={form}
            creator={creator}
            creatorQuery={creatorQuery}
            readOnly={readOnly}
            integrationsHref={`/${ws.slug}/integrations`}
          />
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

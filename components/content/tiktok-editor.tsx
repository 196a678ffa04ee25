"use client";

import { useQuery } from "@tanstack/react-query";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { InsertLinkButton } from "@/components/links/insert-link-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc/client";
import { TIKTOK_CAPTION_MAX } from "@/server/services/content/schemas";
import { EditorFrame } from "./editor-frame";
import { appendToBody, BodyField, CharCounter, FormSection, TitleField } from "./editor-kit";
import { MediaField } from "./media-field";
import { PRIVACY_LABEL, TikTokAudience } from "./tiktok-audience";
import { defaults, type FormOut, formSchema } from "./tiktok-form";
import { TikTokPreview } from "./tiktok-preview";
import { type ContentEditorProps, useContentForm } from "./use-content-form";
import { formatDuration, useVideoDuration } from "./use-video-duration";

export function TikTokEditor({ item, readOnly, initialSchedule }: ContentEditorProps) {
  const ws = useWorkspace();
  const { form, errors, live, persist, frame } = useContentForm({
    item,
    readOnly,
    initialSchedule,
    schema: formSchema,
    defaultValues: defaults(item),
    fieldName: (field) => (field === "tiktok" ? "videoUrl" : field),
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
  const durationSec = useVideoDuration(errors.videoUrl ? "" : (live.videoUrl ?? "").trim());
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
    persist({
      create: { type: "tiktok", title: values.title, body: values.body, scheduledAt, tiktok },
      update: { title: values.title, body: values.body, tiktok },
    });
  };

  const caption = live.body ?? "";
  return (
    <EditorFrame
      {...frame}
      onSave={onSave}
      fields={
        <>
          <FormSection title="Video">
            <TitleField
              id="tiktok-title"
              hint="For your team and the content list; TikTok shows only the caption."
              error={errors.title?.message}
              {...form.register("title")}
            />
            <BodyField
              id="tiktok-caption"
              label="Caption"
              aside={
                <div className="flex items-center gap-2">
                  <InsertLinkButton
                    contentId={item?.id}
                    disabled={readOnly}
                    onInsert={(url) => appendToBody(form, url, " ")}
                  />
                  <CharCounter value={caption.length} max={TIKTOK_CAPTION_MAX} testId="caption-counter" />
                </div>
              }
              error={errors.body?.message}
            >
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
            </BodyField>
            <MediaField
              id="tiktok-video"
              label="Video"
              kind="video"
              value={live.videoUrl ?? ""}
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
          videoUrl={errors.videoUrl ? "" : (live.videoUrl ?? "").trim()}
          coverTimeMs={(Number(live.coverTimeSec) || 0) * 1000}
          handle={creator?.username ?? ws.slug}
          privacyLevel={live.privacyLevel || "SELF_ONLY"}
          allowComments={(live.allowComments ?? true) && !creator?.commentDisabled}
          allowDuet={(live.allowDuet ?? true) && !creator?.duetDisabled}
          allowStitch={(live.allowStitch ?? true) && !creator?.stitchDisabled}
        />
      }
    />
  );
}

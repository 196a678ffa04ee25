"use client";

import { Controller } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { InsertLinkButton } from "@/components/links/insert-link-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { INSTAGRAM_CAPTION_MAX, INSTAGRAM_HASHTAGS_MAX } from "@/server/services/content/schemas";
import { EditorFrame } from "./editor-frame";
import { appendToBody, BodyField, CharCounter, FormSection, TitleField } from "./editor-kit";
import {
  countHashtags,
  defaults,
  type FormOut,
  formSchema,
  REEL_MAX_SEC,
  REEL_MIN_SEC,
} from "./instagram-form";
import { InstagramPreview } from "./instagram-preview";
import { MediaField } from "./media-field";
import { type ContentEditorProps, useContentForm } from "./use-content-form";
import { formatDuration, useVideoShape } from "./use-video-duration";
import { VideoShapeNote } from "./video-shape-note";

export function InstagramEditor({ item, readOnly, initialSchedule }: ContentEditorProps) {
  const ws = useWorkspace();
  const { form, errors, live, persist, frame } = useContentForm({
    item,
    readOnly,
    initialSchedule,
    schema: formSchema,
    defaultValues: defaults(item),
    fieldName: (field) => (field === "instagram" ? "videoUrl" : field),
  });
  const videoUrl = errors.videoUrl ? "" : (live.videoUrl ?? "").trim();
  const shape = useVideoShape(videoUrl);
  const durationSec = shape?.sec ?? null;
  const outOfRange =
    durationSec != null && (durationSec < REEL_MIN_SEC - 0.05 || durationSec > REEL_MAX_SEC + 0.5);

  const onSave = (values: FormOut, scheduledAt: Date | undefined) => {
    const url = values.videoUrl.trim();
    const instagram = {
      shareToFeed: values.shareToFeed,
      coverTimeMs: Math.round(values.coverTimeSec * 1000),
      videoUrl: url || null,
      mediaId: url ? values.mediaId : null,
    };
    persist({
      create: { type: "instagram", title: values.title, body: values.body, scheduledAt, instagram },
      update: { title: values.title, body: values.body, instagram },
    });
  };

  const caption = live.body ?? "";
  const hashtags = countHashtags(caption);
  return (
    <EditorFrame
      {...frame}
      onSave={onSave}
      fields={
        <FormSection title="Reel">
          <TitleField
            id="instagram-title"
            hint="For your team and the content list; Instagram shows only the caption."
            error={errors.title?.message}
            {...form.register("title")}
          />
          <BodyField
            id="instagram-caption"
            label="Caption"
            aside={
              <div className="flex items-center gap-2">
                <InsertLinkButton
                  contentId={item?.id}
                  disabled={readOnly}
                  onInsert={(url) => appendToBody(form, url, " ")}
                />
                <span className="flex items-center gap-1 text-muted-foreground text-xs">
                  Hashtags
                  <CharCounter value={hashtags} max={INSTAGRAM_HASHTAGS_MAX} testId="hashtag-counter" />
                </span>
                <span className="text-muted-foreground text-xs" aria-hidden>
                  ·
                </span>
                <CharCounter value={caption.length} max={INSTAGRAM_CAPTION_MAX} testId="caption-counter" />
              </div>
            }
            error={errors.body?.message}
          >
            <Textarea
              id="instagram-caption"
              rows={6}
              placeholder="Hook first. Up to 30 #hashtags and any @mentions."
              aria-invalid={errors.body ? true : undefined}
              aria-describedby="instagram-caption-hint"
              data-testid="body-input"
              {...form.register("body")}
            />
            <p id="instagram-caption-hint" className="text-muted-foreground text-xs">
              Instagram allows {INSTAGRAM_HASHTAGS_MAX} hashtags and{" "}
              {INSTAGRAM_CAPTION_MAX.toLocaleString("en-US")} characters; links in captions are not clickable.
            </p>
          </BodyField>
          <MediaField
            id="instagram-video"
            label="Video"
            kind="video"
            value={live.videoUrl ?? ""}
            disabled={readOnly}
            error={errors.videoUrl?.message}
            hint="From the media library or a public http(s) URL. Reels are 3 seconds to 15 minutes long; vertical (9:16) fills the screen."
            onChange={(url, assetId) => {
              form.setValue("videoUrl", url, { shouldDirty: true, shouldValidate: true });
              form.setValue("mediaId", assetId, { shouldDirty: true });
            }}
            testId="video-url-input"
          />
          {outOfRange && (
            <p role="alert" className="-mt-2 text-sm text-warning" data-testid="video-out-of-range">
              This video is {formatDuration(durationSec!)} long; Instagram takes Reels from {REEL_MIN_SEC}{" "}
              seconds to {formatDuration(REEL_MAX_SEC)}.
            </p>
          )}
          <VideoShapeNote
            shape={shape}
            landscape="Reels show it with bars above and below; a vertical (9:16) video fills the screen."
          />
          <Field
            label="Cover frame (seconds into the video)"
            htmlFor="instagram-cover"
            error={errors.coverTimeSec?.message}
          >
            <Input
              id="instagram-cover"
              type="number"
              inputMode="decimal"
              min={0}
              max={REEL_MAX_SEC}
              step={0.1}
              className="sm:max-w-40"
              {...form.register("coverTimeSec", { valueAsNumber: true })}
            />
          </Field>
          <Controller
            control={form.control}
            name="shareToFeed"
            render={({ field }) => (
              <div className="grid gap-1">
                <div className="flex items-center gap-2">
                  <Switch
                    id="instagram-share-to-feed"
                    checked={field.value}
                    onCheckedChange={field.onChange}
                    disabled={readOnly}
                    aria-describedby="instagram-share-to-feed-hint"
                    data-testid="instagram-shareToFeed"
                  />
                  <Label htmlFor="instagram-share-to-feed">Also share to the feed</Label>
                </div>
                <p id="instagram-share-to-feed-hint" className="pl-10 text-muted-foreground text-xs">
                  Off: the Reel shows only in the Reels tab of your profile.
                </p>
              </div>
            )}
          />
        </FormSection>
      }
      preview={
        <InstagramPreview
          caption={caption}
          videoUrl={videoUrl}
          coverSec={Number(live.coverTimeSec) || 0}
          handle={ws.slug}
          shareToFeed={live.shareToFeed ?? true}
          hashtags={hashtags}
        />
      }
    />
  );
}

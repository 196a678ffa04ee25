"use client";

import { Controller } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { InsertLinkButton } from "@/components/links/insert-link-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import {
  YOUTUBE_DESCRIPTION_MAX,
  YOUTUBE_TAGS_MAX_CHARS,
  YOUTUBE_TITLE_MAX,
} from "@/server/services/content/schemas";
import { EditorFrame } from "./editor-frame";
import { appendToBody, BodyField, CharCounter, CountedField, FormSection } from "./editor-kit";
import { MediaField } from "./media-field";
import { TagsInput } from "./tags-input";
import { type ContentEditorProps, useContentForm } from "./use-content-form";
import { formatDuration, useVideoShape } from "./use-video-duration";
import { VideoShapeNote } from "./video-shape-note";
import { defaults, type FormOut, formSchema, SHORTS_MAX_SEC, toYouTubeFields } from "./youtube-form";
import { YouTubePreview } from "./youtube-preview";
import { YouTubeSettings } from "./youtube-settings";

const KIDS_REQUIRED = "Answer whether this video is made for kids: YouTube requires it before publishing.";

export function YouTubeEditor({ item, readOnly, initialSchedule }: ContentEditorProps) {
  const ws = useWorkspace();
  const { form, errors, live, persist, frame } = useContentForm({
    item,
    readOnly,
    initialSchedule,
    schema: formSchema,
    defaultValues: defaults(item),
    fieldName: (field) =>
      field === "youtube" ? "videoUrl" : field === "scheduleWith" ? "scheduleWithYouTube" : field,
  });
  const videoUrl = errors.videoUrl ? "" : (live.videoUrl ?? "").trim();
  const shape = useVideoShape(videoUrl);
  const durationSec = shape?.sec ?? null;
  const tooLong = durationSec != null && durationSec > SHORTS_MAX_SEC + 0.5;

  const onSave = (values: FormOut, scheduledAt: Date | undefined) => {
    // A draft may wait for the answer; something set to go out may not.
    if (scheduledAt && values.madeForKids === "") {
      form.setError("madeForKids", { message: KIDS_REQUIRED });
      form.setFocus("madeForKids");
      return;
    }
    const youtube = toYouTubeFields(values);
    persist({
      create: { type: "youtube", title: values.title, body: values.body, scheduledAt, youtube },
      update: { title: values.title, body: values.body, youtube },
    });
  };

  const title = live.title ?? "";
  const description = live.body ?? "";
  const tags = live.tags ?? [];
  const tagChars = tags.join(",").length;
  return (
    <EditorFrame
      {...frame}
      onSave={onSave}
      notice={
        item && !readOnly && live.madeForKids === "" ? (
          <p
            className="mb-4 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-sm text-warning"
            data-testid="made-for-kids-missing"
          >
            Say whether this video is made for kids (under Audience and publishing) before you schedule or
            publish it.
          </p>
        ) : undefined
      }
      fields={
        <>
          <FormSection title="Short">
            <CountedField
              id="youtube-title"
              label="Title"
              text={title}
              max={YOUTUBE_TITLE_MAX}
              counterTestId="title-counter"
              hint="The video's title on YouTube; no < or >."
              error={errors.title?.message}
            >
              <Input
                id="youtube-title"
                maxLength={500}
                data-testid="title-input"
                {...form.register("title")}
              />
            </CountedField>
            <BodyField
              id="youtube-description"
              label="Description"
              aside={
                <div className="flex items-center gap-2">
                  <InsertLinkButton
                    contentId={item?.id}
                    disabled={readOnly}
                    onInsert={(url) => appendToBody(form, url, "\n")}
                  />
                  <CharCounter
                    value={description.length}
                    max={YOUTUBE_DESCRIPTION_MAX}
                    testId="description-counter"
                  />
                </div>
              }
              error={errors.body?.message}
            >
              <Textarea
                id="youtube-description"
                rows={6}
                placeholder="What the Short is about. Links and #hashtags work here."
                aria-invalid={errors.body ? true : undefined}
                data-testid="body-input"
                {...form.register("body")}
              />
            </BodyField>
            <Field
              label={
                <span className="flex w-full items-center justify-between gap-2">
                  Tags
                  <CharCounter value={tagChars} max={YOUTUBE_TAGS_MAX_CHARS} testId="tags-counter" />
                </span>
              }
              htmlFor="youtube-tags"
              error={errors.tags?.message ?? errors.tags?.find?.((t) => t?.message)?.message}
              hint="Help people find it when they misspell a word. Press Enter or type a comma after each tag."
            >
              <Controller
                control={form.control}
                name="tags"
                render={({ field }) => (
                  <TagsInput
                    id="youtube-tags"
                    value={field.value ?? []}
                    onChange={field.onChange}
                    max={60}
                    maxLength={100}
                    disabled={readOnly}
                    invalid={Boolean(errors.tags)}
                  />
                )}
              />
            </Field>
            <MediaField
              id="youtube-video"
              label="Video"
              kind="video"
              value={live.videoUrl ?? ""}
              disabled={readOnly}
              error={errors.videoUrl?.message}
              hint="From the media library or a public http(s) URL. A Short is at most 3 minutes long and vertical (9:16) or square."
              onChange={(url, assetId) => {
                form.setValue("videoUrl", url, { shouldDirty: true, shouldValidate: true });
                form.setValue("mediaId", assetId, { shouldDirty: true });
              }}
              testId="video-url-input"
            />
            {tooLong && (
              <p role="alert" className="-mt-2 text-sm text-warning" data-testid="video-too-long">
                This video is {formatDuration(durationSec!)} long. Shorts are at most{" "}
                {formatDuration(SHORTS_MAX_SEC)}: YouTube would publish it as an ordinary video.
              </p>
            )}
            <VideoShapeNote
              shape={shape}
              landscape="Shorts are vertical or square: YouTube would publish it as an ordinary video."
            />
          </FormSection>
          <YouTubeSettings form={form} readOnly={readOnly} />
        </>
      }
      preview={
        <YouTubePreview
          title={title}
          description={description}
          tags={tags}
          videoUrl={videoUrl}
          channel={ws.slug}
          privacyStatus={live.privacyStatus ?? "private"}
          madeForKids={live.madeForKids ?? ""}
          scheduleWithYouTube={live.scheduleWithYouTube ?? false}
          synthetic={live.containsSyntheticMedia ?? false}
        />
      }
    />
  );
}

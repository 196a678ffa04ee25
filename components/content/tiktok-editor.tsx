"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Controller, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
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
  privacyLevel: z.enum(TIKTOK_PRIVACY_LEVELS),
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
      : "SELF_ONLY",
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

  const onSave = (values: FormOut, scheduledAt: Date | undefined) => {
    const tiktok = {
      privacyLevel: values.privacyLevel,
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
              hint="An MP4, MOV or WebM from the media library, or a public http(s) URL."
              onChange={(url, assetId) => {
                form.setValue("videoUrl", url, { shouldDirty: true, shouldValidate: true });
                form.setValue("mediaId", assetId, { shouldDirty: true });
              }}
              testId="video-url-input"
            />
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
            <Field label="Who can watch" htmlFor="tiktok-privacy">
              <Controller
                control={form.control}
                name="privacyLevel"
                render={({ field }) => (
                  <Select value={field.value} onValueChange={field.onChange} disabled={readOnly}>
                    <SelectTrigger
                      id="tiktok-privacy"
                      className="w-full sm:w-64"
                      data-testid="privacy-select"
                    >
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      {TIKTOK_PRIVACY_LEVELS.map((p) => (
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
                  ["allowComments", "Allow comments"],
                  ["allowDuet", "Allow duet"],
                  ["allowStitch", "Allow stitch"],
                ] as const
              ).map(([name, label]) => (
                <Controller
                  key={name}
                  control={form.control}
                  name={name}
                  render={({ field }) => (
                    <div className="flex items-center gap-2">
                      <Switch
                        id={`tiktok-${name}`}
                        checked={field.value}
                        onCheckedChange={field.onChange}
                        disabled={readOnly}
                      />
                      <Label htmlFor={`tiktok-${name}`}>{label}</Label>
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
          handle={ws.slug}
          privacyLevel={v.privacyLevel ?? "SELF_ONLY"}
          allowComments={v.allowComments ?? true}
          allowDuet={v.allowDuet ?? true}
          allowStitch={v.allowStitch ?? true}
        />
      }
    />
  );
}

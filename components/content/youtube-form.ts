import { z } from "zod";
import {
  titleSchema,
  YOUTUBE_DESCRIPTION_MAX,
  YOUTUBE_PRIVACY,
  YOUTUBE_TITLE_MAX,
  youtubeFieldsSchema,
} from "@/server/services/content/schemas";
import { type ContentItem, readMeta } from "./content-meta";
import { checkedBy } from "./editor-kit";

/** Shorts are at most three minutes long (YouTube treats longer uploads as ordinary videos). */
export const SHORTS_MAX_SEC = 180;

export const formSchema = z.object({
  title: titleSchema
    .refine(
      (t) => t.length <= YOUTUBE_TITLE_MAX,
      `YouTube titles are at most ${YOUTUBE_TITLE_MAX} characters`,
    )
    .refine((t) => !/[<>]/.test(t), "YouTube titles cannot contain < or >"),
  body: z
    .string()
    .max(
      YOUTUBE_DESCRIPTION_MAX,
      `YouTube descriptions are limited to ${YOUTUBE_DESCRIPTION_MAX.toLocaleString("en-US")} characters`,
    ),
  videoUrl: checkedBy(youtubeFieldsSchema.shape.videoUrl, { optional: true }),
  mediaId: z.string().nullable(),
  tags: youtubeFieldsSchema.shape.tags.unwrap(),
  privacyStatus: z.enum(YOUTUBE_PRIVACY),
  // "" until someone answers: YouTube requires the declaration, so it is never preselected.
  madeForKids: z.enum(["", "yes", "no"]),
  scheduleWithYouTube: z.boolean(),
  containsSyntheticMedia: z.boolean(),
  notifySubscribers: z.boolean(),
});

export type FormIn = z.input<typeof formSchema>;

export type FormOut = z.output<typeof formSchema>;

export function defaults(item?: ContentItem): FormIn {
  const y = readMeta(item?.metadata).youtube;
  return {
    title: item?.title ?? "",
    body: item?.body ?? "",
    videoUrl: y.videoUrl ?? "",
    mediaId: y.mediaId ?? null,
    tags: Array.isArray(y.tags) ? y.tags : [],
    privacyStatus: (YOUTUBE_PRIVACY as readonly string[]).includes(y.privacyStatus ?? "")
      ? (y.privacyStatus as FormIn["privacyStatus"])
      : "private",
    madeForKids: y.madeForKids === true ? "yes" : y.madeForKids === false ? "no" : "",
    scheduleWithYouTube: y.scheduleWith === "youtube",
    containsSyntheticMedia: y.containsSyntheticMedia ?? false,
    notifySubscribers: y.notifySubscribers ?? true,
  };
}

/** The item's `youtube` fields as the create and update inputs take them. */
export function toYouTubeFields(values: FormOut) {
  const videoUrl = values.videoUrl.trim();
  return {
    privacyStatus: values.privacyStatus,
    madeForKids: values.madeForKids === "" ? null : values.madeForKids === "yes",
    tags: values.tags,
    notifySubscribers: values.notifySubscribers,
    scheduleWith: values.scheduleWithYouTube ? ("youtube" as const) : ("organic" as const),
    containsSyntheticMedia: values.containsSyntheticMedia,
    videoUrl: videoUrl || null,
    mediaId: videoUrl ? values.mediaId : null,
  };
}

import { z } from "zod";
import {
  TIKTOK_CAPTION_MAX,
  TIKTOK_PRIVACY_LEVELS,
  tiktokFieldsSchema,
  titleSchema,
} from "@/server/services/content/schemas";
import { type ContentItem, readMeta } from "./content-meta";
import { checkedBy } from "./editor-kit";

export const formSchema = z.object({
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

export type FormIn = z.input<typeof formSchema>;

export type FormOut = z.output<typeof formSchema>;

export function defaults(item?: ContentItem): FormIn {
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

import { z } from "zod";
import {
  INSTAGRAM_CAPTION_MAX,
  INSTAGRAM_HASHTAGS_MAX,
  instagramFieldsSchema,
  titleSchema,
} from "@/server/services/content/schemas";
import { type ContentItem, readMeta } from "./content-meta";
import { checkedBy } from "./editor-kit";

/** Reels are 3 seconds to 15 minutes long. */
export const REEL_MIN_SEC = 3;
export const REEL_MAX_SEC = 15 * 60;

/** The hashtags Instagram counts: a `#` at the start or after a space (as the server counts them). */
export function countHashtags(caption: string): number {
  return (caption.match(/(^|\s)#[^\s#]+/g) ?? []).length;
}

export const formSchema = z.object({
  title: titleSchema,
  body: z
    .string()
    .max(
      INSTAGRAM_CAPTION_MAX,
      `Instagram captions are limited to ${INSTAGRAM_CAPTION_MAX.toLocaleString("en-US")} characters`,
    )
    .superRefine((caption, ctx) => {
      const n = countHashtags(caption);
      if (n > INSTAGRAM_HASHTAGS_MAX)
        ctx.addIssue({
          code: "custom",
          message: `Instagram allows at most ${INSTAGRAM_HASHTAGS_MAX} hashtags; this caption has ${n}. Remove ${n - INSTAGRAM_HASHTAGS_MAX}.`,
        });
    }),
  videoUrl: checkedBy(instagramFieldsSchema.shape.videoUrl, { optional: true }),
  mediaId: z.string().nullable(),
  shareToFeed: z.boolean(),
  coverTimeSec: z
    .number({ error: "Enter the cover time in seconds" })
    .min(0, "Cover time cannot be negative")
    .max(REEL_MAX_SEC, "The cover must be within the first 15 minutes"),
});

export type FormIn = z.input<typeof formSchema>;

export type FormOut = z.output<typeof formSchema>;

export function defaults(item?: ContentItem): FormIn {
  const i = readMeta(item?.metadata).instagram;
  return {
    title: item?.title ?? "",
    body: item?.body ?? "",
    videoUrl: i.videoUrl ?? "",
    mediaId: i.mediaId ?? null,
    shareToFeed: i.shareToFeed ?? true,
    coverTimeSec: (i.coverTimeMs ?? 0) / 1000,
  };
}

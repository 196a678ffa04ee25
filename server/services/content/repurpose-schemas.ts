import { z } from "zod";

export const SHORT_VIDEO_PLATFORMS = ["tiktok", "youtube", "instagram"] as const;
export type ShortVideoPlatform = (typeof SHORT_VIDEO_PLATFORMS)[number];
export const SHORT_VIDEO_LABEL: Record<ShortVideoPlatform, string> = {
  tiktok: "TikTok",
  youtube: "YouTube Shorts",
  instagram: "Instagram Reels",
};

/**
 * Whose words each platform gets: the source's, fitted to the platform's limits ("fitted"), or
 * written for each platform by the workspace's AI writer — the offline template writer when no AI
 * endpoint is configured or the model fails — then fitted the same way ("write").
 */
export const REPURPOSE_WORDS = ["fitted", "write"] as const;
export type RepurposeWords = (typeof REPURPOSE_WORDS)[number];

/**
 * "Post everywhere": one video, a linked draft per platform. The video is the source item's (a
 * short video) or `mediaId` (any source: a blog post or an email becomes the words of the videos).
 * With `scheduledAt` the drafts are scheduled, `staggerMinutes` apart in the order given.
 */
export const postEverywhereInput = z.object({
  id: z.uuid(),
  platforms: z
    .array(z.enum(SHORT_VIDEO_PLATFORMS))
    .min(1, "Pick at least one platform")
    .max(3)
    .refine((p) => new Set(p).size === p.length, "Each platform once"),
  mediaId: z.uuid().optional(),
  scheduledAt: z.date().optional(),
  staggerMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(0),
  /** Public on every platform, or private/only me where the platform has it (Reels are public). */
  visibility: z.enum(["public", "private"]).default("public"),
  /** YouTube requires the made-for-kids declaration; asked once for the group. */
  madeForKids: z.boolean().optional(),
  words: z.enum(REPURPOSE_WORDS).default("fitted"),
});
export type PostEverywhereInput = z.infer<typeof postEverywhereInput>;

export const contentGroupInput = z.object({ groupId: z.uuid() });

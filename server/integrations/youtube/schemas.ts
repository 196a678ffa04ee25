import { z } from "zod";

/** What Google's token endpoint and the YouTube Data API v3 send back (api-contracts-2 §1), validated on arrival. */

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});
export type YouTubeToken = z.infer<typeof tokenSchema>;

/** uint64 values arrive as JSON strings. */
const count = z.coerce.number().nullish();

/** The video resource: the final upload answer and videos.list items (only the parts asked for). */
export const videoSchema = z.object({
  id: z.string().min(1),
  snippet: z.object({ title: z.string().optional(), channelId: z.string().optional() }).partial().optional(),
  status: z
    .object({
      uploadStatus: z.string().optional(),
      failureReason: z.string().optional(),
      rejectionReason: z.string().optional(),
      privacyStatus: z.string().optional(),
      publishAt: z.string().optional(),
    })
    .partial()
    .optional(),
  processingDetails: z
    .object({
      processingStatus: z.string().optional(),
      processingFailureReason: z.string().optional(),
    })
    .partial()
    .optional(),
  statistics: z
    .object({ viewCount: count, likeCount: count, commentCount: count, favoriteCount: count })
    .partial()
    .optional(),
});
export type YouTubeVideo = z.infer<typeof videoSchema>;

export const videoListSchema = z.object({ items: z.array(videoSchema).default([]) });

export const channelListSchema = z.object({
  items: z
    .array(z.object({ id: z.string(), snippet: z.object({ title: z.string().optional() }).optional() }))
    .default([]),
});

import { z } from "zod";

/** What TikTok API v2 sends back (shared/api-contracts.md §A), validated on arrival. */

export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data, error: z.object({ code: z.string(), message: z.string().optional() }).optional() });
}

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number(),
  open_id: z.string().optional(),
  refresh_token: z.string().min(1),
  refresh_expires_in: z.coerce.number().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});
export type TikTokToken = z.infer<typeof tokenSchema>;

/** Client-credentials token (health check). */
export const clientTokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number() });

export const userInfoSchema = envelope(
  z.object({
    user: z.object({
      open_id: z.string().optional(),
      display_name: z.string().optional(),
      avatar_url: z.string().optional(),
    }),
  }),
);

export const creatorInfoSchema = envelope(
  z.object({
    creator_username: z.string(),
    creator_nickname: z.string().optional(),
    creator_avatar_url: z.string().optional(),
    privacy_level_options: z.array(z.string()),
    comment_disabled: z.boolean().optional(),
    duet_disabled: z.boolean().optional(),
    stitch_disabled: z.boolean().optional(),
    max_video_post_duration_sec: z.number().optional(),
  }),
);
export type TikTokCreatorInfo = z.infer<typeof creatorInfoSchema>["data"];

export const initSchema = envelope(
  z.object({ publish_id: z.string().min(1), upload_url: z.string().optional() }),
);

export const statusSchema = envelope(
  z.object({
    status: z.string(),
    fail_reason: z.string().nullish(),
    publicaly_available_post_id: z.array(z.union([z.string(), z.number()])).nullish(),
    uploaded_bytes: z.number().nullish(),
  }),
);

export const videoSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().nullish(),
  create_time: z.number().nullish(),
  share_url: z.string().nullish(),
  view_count: z.number().nullish(),
  like_count: z.number().nullish(),
  comment_count: z.number().nullish(),
  share_count: z.number().nullish(),
});
export type TikTokVideo = z.infer<typeof videoSchema>;
export const videoListSchema = envelope(
  z.object({ videos: z.array(videoSchema).default([]), cursor: z.number().nullish(), has_more: z.boolean() }),
);

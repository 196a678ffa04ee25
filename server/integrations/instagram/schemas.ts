import { z } from "zod";

/**
 * What the Instagram API with Instagram Login sends back (shared/api-contracts-2.md §2), validated on
 * arrival. Ids are strings in Meta's JSON, but numbers are accepted and turned into strings.
 */

const id = z.union([z.string().min(1), z.number()]).transform(String);

/**
 * The code exchange (api.instagram.com/oauth/access_token): a short-lived (1 h) token. Meta has
 * answered both flat and wrapped in `data: [...]`; both are read.
 */
const shortToken = z.object({
  access_token: z.string().min(1),
  user_id: id.optional(),
  permissions: z.unknown(),
});
export const shortTokenSchema = z.preprocess((v) => {
  const data = (v as { data?: unknown })?.data;
  return Array.isArray(data) ? data[0] : v;
}, shortToken);
export type InstagramShortToken = z.infer<typeof shortToken>;

/** The long-lived exchange and the refresh: 60 days from now. */
export const longTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive(),
});
export type InstagramLongToken = z.infer<typeof longTokenSchema>;

export const meSchema = z.object({
  user_id: id.optional(),
  id: id.optional(),
  username: z.string().optional(),
  name: z.string().optional(),
});

export const idSchema = z.object({ id });

export const CONTAINER_STATUSES = ["IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED", "PUBLISHED"] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

export const containerSchema = z.object({
  id: id.optional(),
  status_code: z.enum(CONTAINER_STATUSES),
  status: z.string().nullish(),
});

export const publishingLimitSchema = z.object({
  data: z
    .array(
      z.object({
        quota_usage: z.coerce.number().int().min(0),
        config: z
          .object({
            quota_total: z.coerce.number().int().positive(),
            quota_duration: z.coerce.number().int().positive().optional(),
          })
          .optional(),
      }),
    )
    .min(1),
});

export const mediaSchema = z.object({
  id,
  permalink: z.string().nullish(),
  caption: z.string().nullish(),
  timestamp: z.string().nullish(),
  media_type: z.string().nullish(),
  media_product_type: z.string().nullish(),
});
export type InstagramMedia = z.infer<typeof mediaSchema>;

export const mediaListSchema = z.object({
  data: z.array(mediaSchema).default([]),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional() }).optional(),
});

/** One insight: `values[0].value` (period "lifetime"), or `total_value.value` on newer answers. */
export const insightsSchema = z.object({
  data: z
    .array(
      z.object({
        name: z.string(),
        period: z.string().optional(),
        values: z.array(z.object({ value: z.coerce.number() })).optional(),
        total_value: z.object({ value: z.coerce.number() }).optional(),
      }),
    )
    .default([]),
});

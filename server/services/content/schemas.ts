import { z } from "zod";
import { CONTENT_SORT_FIELDS, CONTENT_STATUSES, CONTENT_TYPES } from "@/lib/enums";

export const TIKTOK_CAPTION_MAX = 2200;
export const BODY_MAX = 200_000;
export const TIKTOK_PRIVACY_LEVELS = [
  "PUBLIC_TO_EVERYONE",
  "MUTUAL_FOLLOW_FRIENDS",
  "FOLLOWER_OF_CREATOR",
  "SELF_ONLY",
] as const;

export const contentTypeSchema = z.enum(CONTENT_TYPES);
export const contentStatusSchema = z.enum(CONTENT_STATUSES);

export const titleSchema = z
  .string()
  .trim()
  .min(1, "Title is required")
  .max(500, "Title must be at most 500 characters");

export const contentSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Slug is required")
  .max(200, "Slug must be at most 200 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single dashes");

const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (v) => /^https?:\/\//i.test(v) || v.startsWith("/api/media/"),
    "Use an http(s) URL or a media library file",
  );

export const tiktokFieldsSchema = z.object({
  privacyLevel: z.enum(TIKTOK_PRIVACY_LEVELS).default("SELF_ONLY"),
  allowComments: z.boolean().default(true),
  allowDuet: z.boolean().default(true),
  allowStitch: z.boolean().default(true),
  coverTimeMs: z.number().int().min(0, "Cover time cannot be negative").max(600_000).default(0),
  videoUrl: httpsUrl.nullable().default(null),
  mediaId: z.uuid().nullable().default(null),
});

/** YouTube's limits (api-contracts-2 §1; title and description limits UNCONFIRMED, kept here). */
export const YOUTUBE_TITLE_MAX = 100;
export const YOUTUBE_DESCRIPTION_MAX = 5000;
export const YOUTUBE_TAGS_MAX_CHARS = 500;
export const YOUTUBE_PRIVACY = ["public", "unlisted", "private"] as const;

/**
 * A YouTube Short's fields. The item's title is the video title and its body the description.
 * `madeForKids` must be chosen (YouTube requires the declaration): null until someone does, and
 * publishing refuses it then. `scheduleWith: "youtube"` uploads at once as private with
 * `status.publishAt` = the item's scheduled time; "organic" uploads when our scheduler says.
 */
export const youtubeFieldsSchema = z.object({
  privacyStatus: z.enum(YOUTUBE_PRIVACY).default("private"),
  madeForKids: z.boolean().nullable().default(null),
  tags: z
    .array(z.string().trim().min(1).max(100, "Tags must be at most 100 characters"))
    .max(60, "At most 60 tags")
    .refine(
      (tags) => tags.join(",").length <= YOUTUBE_TAGS_MAX_CHARS,
      `YouTube allows ${YOUTUBE_TAGS_MAX_CHARS} characters of tags in all`,
    )
    .default([]),
  categoryId: z
    .string()
    .regex(/^\d{1,3}$/, "Pick a category")
    .default("22"),
  notifySubscribers: z.boolean().default(true),
  scheduleWith: z.enum(["organic", "youtube"]).default("organic"),
  containsSyntheticMedia: z.boolean().default(false),
  videoUrl: httpsUrl.nullable().default(null),
  mediaId: z.uuid().nullable().default(null),
});

/** Instagram's limits for a Reel caption (2,200 characters, 30 hashtags). */
export const INSTAGRAM_CAPTION_MAX = 2200;
export const INSTAGRAM_HASHTAGS_MAX = 30;
/** Hashtags as Instagram counts them: `#word` at the start or after a space. */
export const countHashtags = (caption: string) => (caption.match(/(^|\s)#[^\s#]+/g) ?? []).length;

/**
 * An Instagram Reel's fields; the item's body is the caption. Meta fetches the video from a public
 * URL, so a media library file is offered through a signed, expiring address.
 */
export const instagramFieldsSchema = z.object({
  shareToFeed: z.boolean().default(true),
  /** The cover frame, in milliseconds from the start (`thumb_offset`). */
  coverTimeMs: z.number().int().min(0, "Cover time cannot be negative").max(900_000).default(0),
  videoUrl: httpsUrl.nullable().default(null),
  mediaId: z.uuid().nullable().default(null),
});

export const blogFieldsSchema = z.object({
  excerpt: z.string().trim().max(500, "Excerpt must be at most 500 characters").default(""),
  coverImageUrl: httpsUrl.nullable().default(null),
  tags: z
    .array(z.string().trim().min(1).max(40, "Tags must be at most 40 characters"))
    .max(20, "At most 20 tags")
    .default([]),
  seoTitle: z.string().trim().max(70, "SEO title must be at most 70 characters").default(""),
  seoDescription: z.string().trim().max(160, "SEO description must be at most 160 characters").default(""),
});

export const emailFieldsSchema = z.object({
  subject: z.string().trim().min(1, "Subject is required").max(200, "Subject must be at most 200 characters"),
  preheader: z.string().trim().max(200, "Preheader must be at most 200 characters").default(""),
  /** Who it is sent to when published: a saved segment of the workspace (required to publish). */
  segmentId: z.uuid("Choose a segment").nullable().default(null),
});

const captionSchema = z
  .string()
  .max(
    TIKTOK_CAPTION_MAX,
    `TikTok captions are limited to ${TIKTOK_CAPTION_MAX.toLocaleString("en-US")} characters`,
  );
const instagramCaptionSchema = z
  .string()
  .max(
    INSTAGRAM_CAPTION_MAX,
    `Instagram captions are limited to ${INSTAGRAM_CAPTION_MAX.toLocaleString("en-US")} characters`,
  )
  .refine(
    (c) => countHashtags(c) <= INSTAGRAM_HASHTAGS_MAX,
    `Instagram allows at most ${INSTAGRAM_HASHTAGS_MAX} hashtags`,
  );
const markdownBodySchema = z.string().max(BODY_MAX, "Body is too long");
const mediaUrlsSchema = z.array(httpsUrl).max(10, "At most 10 media files").default([]);

export const createContentInput = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("tiktok"),
    title: titleSchema,
    body: captionSchema.default(""),
    mediaUrls: mediaUrlsSchema,
    scheduledAt: z.date().optional(),
    tiktok: tiktokFieldsSchema.default(tiktokFieldsSchema.parse({})),
  }),
  z.object({
    type: z.literal("youtube"),
    title: titleSchema.refine(
      (t) => t.length <= YOUTUBE_TITLE_MAX && !/[<>]/.test(t),
      `YouTube titles are at most ${YOUTUBE_TITLE_MAX} characters, without < or >`,
    ),
    body: z
      .string()
      .max(
        YOUTUBE_DESCRIPTION_MAX,
        `YouTube descriptions are limited to ${YOUTUBE_DESCRIPTION_MAX.toLocaleString("en-US")} characters`,
      )
      .default(""),
    mediaUrls: mediaUrlsSchema,
    scheduledAt: z.date().optional(),
    youtube: youtubeFieldsSchema.default(youtubeFieldsSchema.parse({})),
  }),
  z.object({
    type: z.literal("instagram"),
    title: titleSchema,
    body: instagramCaptionSchema.default(""),
    mediaUrls: mediaUrlsSchema,
    scheduledAt: z.date().optional(),
    instagram: instagramFieldsSchema.default(instagramFieldsSchema.parse({})),
  }),
  z.object({
    type: z.literal("blog"),
    title: titleSchema,
    body: markdownBodySchema.default(""),
    mediaUrls: mediaUrlsSchema,
    scheduledAt: z.date().optional(),
    slug: contentSlugSchema.optional(),
    blog: blogFieldsSchema.default(blogFieldsSchema.parse({})),
  }),
  z.object({
    type: z.literal("email"),
    title: titleSchema,
    body: markdownBodySchema.default(""),
    mediaUrls: mediaUrlsSchema,
    scheduledAt: z.date().optional(),
    email: emailFieldsSchema,
  }),
]);
export type CreateContentInput = z.infer<typeof createContentInput>;

/**
 * A type's fields as an update takes them: each optional and without its default, so sending one
 * field leaves the others as stored (`.partial()` alone would fill the defaults back in).
 */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([k, v]) => [k, v instanceof z.ZodDefault ? v.unwrap() : v]),
  ) as { [K in keyof S]: S[K] extends z.ZodDefault<infer T> ? T : S[K] };
  return z.object(shape).partial();
}

export const updateContentInput = z.object({
  id: z.uuid(),
  title: titleSchema.optional(),
  body: markdownBodySchema.optional(),
  mediaUrls: z.array(httpsUrl).max(10).optional(),
  slug: contentSlugSchema.optional(),
  tiktok: patchOf(tiktokFieldsSchema).optional(),
  youtube: patchOf(youtubeFieldsSchema).optional(),
  instagram: patchOf(instagramFieldsSchema).optional(),
  blog: patchOf(blogFieldsSchema).optional(),
  email: patchOf(emailFieldsSchema).optional(),
});
export type UpdateContentInput = z.infer<typeof updateContentInput>;

export { CONTENT_SORT_FIELDS };

/** The original spec's input, plus search and sort. */
export const listContentInput = z.object({
  type: contentTypeSchema.optional(),
  status: contentStatusSchema.optional(),
  search: z.string().trim().max(200).optional(),
  sort: z.enum(CONTENT_SORT_FIELDS).default("createdAt"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  /**
   * One entry per video: the posts of a Post-everywhere group count as one on the page and in
   * `total`, and come together (never split across pages). Offset paging only.
   */
  grouped: z.boolean().default(false),
});
export type ListContentInput = z.infer<typeof listContentInput>;

export const contentIdInput = z.object({ id: z.uuid() });
export const scheduleContentInput = z.object({ id: z.uuid(), scheduledAt: z.date() });
export const calendarInput = z
  .object({ from: z.date(), to: z.date() })
  .refine((v) => v.to > v.from, "The range must end after it starts")
  .refine((v) => v.to.getTime() - v.from.getTime() <= 62 * 86_400_000, "Ask for at most 62 days at a time");

export const GENERATE_CONTENT_TYPES = ["demo", "tutorial", "review", "comparison", "tips", "story"] as const;
export const GENERATE_TONES = ["casual", "professional", "humorous", "educational"] as const;
export const GENERATE_LENGTHS = ["short", "medium", "long"] as const;

/** Exactly the original spec's `content.generate` input (workspaceId comes from workspaceProcedure). */
export const generateContentInput = z.object({
  platform: contentTypeSchema,
  product: z.string().trim().min(1, "Name the product").max(200),
  contentType: z.enum(GENERATE_CONTENT_TYPES),
  tone: z.enum(GENERATE_TONES),
  length: z.enum(GENERATE_LENGTHS),
  context: z.string().trim().max(2000).optional(),
});
export type GenerateContentInput = z.infer<typeof generateContentInput>;

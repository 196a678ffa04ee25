import { z } from "zod";
import { LEAD_STATUSES } from "@/server/db/schema";
import { ValidationError } from "@/server/errors";
import { contentStatusSchema, contentTypeSchema } from "@/server/services/content/schemas";

/**
 * Response shapes of the REST API, for the OpenAPI document. Requests use the services' own schemas
 * (server/services/<domain>/schemas.ts); these only describe what the services return, and stay
 * open (`looseObject`) where a service returns more than is worth promising.
 */

export const REST_PAGE_DEFAULT = 50;
export const REST_PAGE_MAX = 100;

/** `limit` + `cursor` of every list; the answer is `{ data, nextCursor }`. */
export const paginationQuery = z.object({
  limit: z
    .number()
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(REST_PAGE_MAX, `limit must be at most ${REST_PAGE_MAX}`)
    .default(REST_PAGE_DEFAULT)
    .describe(`Page size (default ${REST_PAGE_DEFAULT}, max ${REST_PAGE_MAX}).`),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .describe("`nextCursor` of the previous page; omit for the first page."),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page."),
  });
}

/** Offset cursors for services that page by offset (content) or return a bounded list (campaigns). */
export function encodeOffsetCursor(offset: number) {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

export function decodeOffsetCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { o?: unknown };
    if (typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0 && v.o <= 1_000_000) return v.o;
  } catch {
    // fall through
  }
  throw new ValidationError("That page link is no longer valid", { cursor: ["Invalid cursor"] });
}

export const idParams = z.object({ id: z.uuid("id must be a UUID") });

const timestamp = z.iso.datetime({ offset: true });

export const leadSchema = z.looseObject({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  tags: z.array(z.string()),
  source: z.string().nullable(),
  status: z.enum(LEAD_STATUSES),
  customFields: z.record(z.string(), z.unknown()),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const leadDetailSchema = leadSchema.extend({
  timeline: z.array(
    z.looseObject({ id: z.string(), kind: z.string(), at: timestamp, title: z.string().optional() }),
  ),
});

export const contentSchema = z.looseObject({
  id: z.uuid(),
  type: contentTypeSchema,
  status: contentStatusSchema,
  title: z.string(),
  slug: z.string().nullable(),
  body: z.string().nullable(),
  mediaUrls: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  scheduledAt: timestamp.nullable(),
  publishedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const campaignSchema = z.looseObject({
  id: z.uuid(),
  name: z.string(),
  type: z.string(),
  status: z.string(),
  sender: z.looseObject({ fromName: z.string(), fromEmail: z.string(), replyTo: z.string() }),
  audience: z.looseObject({ segmentId: z.uuid().nullable(), criteria: z.unknown() }),
  sendAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const campaignWithStatsSchema = z.looseObject({
  campaign: campaignSchema,
  stats: z.looseObject({}).describe("Sent, delivered, opened, clicked, bounced, unsubscribed and rates."),
});

export const jobSchema = z.looseObject({
  id: z.uuid(),
  kind: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed"]),
  progress: z.number().int().min(0).max(100),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  finishedAt: timestamp.nullable(),
});

export const workspaceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  timeZone: z.string(),
  sender: z
    .looseObject({
      fromName: z.string(),
      fromEmail: z.string(),
      replyTo: z.string(),
      postalAddress: z.string(),
    })
    .nullable()
    .describe("Null until the sender settings are set; no campaign is sent before."),
  createdAt: timestamp,
});

export const analyticsOverviewSchema = z
  .looseObject({})
  .describe("Headline figures of the period and, with `compare`, of the one before.");

import { z } from "zod";

/**
 * What the Amazon Ads API answers (docs/AMAZON-ATTRIBUTION.md), validated on the way in. Ids come
 * back as numbers in some answers (profileId is an int64) and strings in others: both are read as
 * strings so an int64 never loses digits in a float. Unknown fields pass through untouched.
 */

const idString = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

export const adsProfile = z.object({
  profileId: idString,
  countryCode: z.string().optional(),
  currencyCode: z.string().optional(),
  timezone: z.string().optional(),
  accountInfo: z
    .object({
      id: z.string().optional(),
      type: z.string().optional(),
      name: z.string().optional(),
      marketplaceStringId: z.string().optional(),
    })
    .partial()
    .optional(),
});
export type AdsProfile = z.infer<typeof adsProfile>;
export const profilesResponse = z.array(adsProfile);

export const advertisersResponse = z.object({
  advertisers: z
    .array(z.object({ advertiserId: idString, advertiserName: z.string().optional().default("") }))
    .default([]),
});
export type AttributionAdvertiser = z.infer<typeof advertisersResponse>["advertisers"][number];

const publisher = z.object({
  id: idString,
  name: z.string().optional().default(""),
  macroEnabled: z.boolean().optional().default(false),
});
export type AttributionPublisher = z.infer<typeof publisher>;
/** The reference names the list `publisher` (singular); `publishers` is accepted as well. */
export const publishersResponse = z
  .object({ publisher: z.array(publisher).optional(), publishers: z.array(publisher).optional() })
  .transform((v) => ({ publishers: v.publisher ?? v.publishers ?? [] }));

/** advertiserId → publisherId → tag (a query string such as `?maas=…&aa_campaignid=…`). */
export const tagsResponse = z.object({
  advertiserAttributionTagMap: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});

const count = z
  .union([z.number(), z.string()])
  .optional()
  .transform((v) => {
    const n = v === undefined || v === "" ? 0 : Number(v);
    return Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0;
  });

/** An amount in local currency, as exact cents (a JSON number is a float: round once, to the cent). */
const amount = z
  .union([z.number(), z.string()])
  .optional()
  .transform((v) => {
    const n = v === undefined || v === "" ? 0 : Number(v);
    return Number.isFinite(n) ? Math.round(n * 100) : 0;
  });

const optionalId = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? "" : String(v)));

/** One report row: the dimensions of its report type and level, and the metrics asked for. */
export const reportEntry = z
  .object({
    date: z.union([z.string(), z.number()]).transform((v) => String(v)),
    campaignId: optionalId,
    adGroupId: optionalId,
    creativeId: optionalId,
    productAsin: optionalId,
    productName: z.string().nullish(),
    publisher: z.string().nullish(),
    "Click-throughs": count,
    attributedDetailPageViewsClicks14d: count,
    attributedAddToCartClicks14d: count,
    attributedPurchases14d: count,
    unitsSold14d: count,
    attributedSales14d: amount,
  })
  .passthrough();
export type ReportEntry = z.infer<typeof reportEntry>;

export const reportResponse = z.object({
  reports: z.array(reportEntry).default([]),
  size: z.number().int().optional(),
  cursorId: z.string().nullish(),
});
export type ReportResponse = z.infer<typeof reportResponse>;

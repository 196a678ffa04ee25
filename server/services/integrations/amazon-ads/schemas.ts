import { z } from "zod";
import { AMAZON_REGIONS } from "@/lib/enums";

/** Inputs of the Amazon Ads (Attribution) procedures, shared with the forms (nothing server-only). */

export const connectAmazonAdsInput = z
  .object({
    /** Both empty: the Amazon app an instance admin set (Settings → Instance) or the environment's. */
    clientId: z.string().trim().max(255).default(""),
    clientSecret: z.string().trim().max(512).default(""),
    refreshToken: z
      .string()
      .trim()
      .min(1, "Enter the refresh token")
      .max(2048)
      .regex(/^Atzr\|/, "A Login with Amazon refresh token starts with Atzr|"),
    region: z.enum(AMAZON_REGIONS, "Choose a region: na, eu or fe"),
  })
  .superRefine((v, ctx) => {
    if (Boolean(v.clientId) !== Boolean(v.clientSecret))
      ctx.addIssue({
        code: "custom",
        path: [v.clientId ? "clientSecret" : "clientId"],
        message: v.clientId ? "Enter the LWA client secret" : "Enter the LWA client id",
      });
  });
export type ConnectAmazonAdsInput = z.infer<typeof connectAmazonAdsInput>;

export const chooseAmazonAdsProfileInput = z.object({
  profileId: z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, "An advertising profile id is a number, e.g. 3214587690"),
});

export const chooseAmazonAdsAdvertiserInput = z.object({
  advertiserId: z
    .string()
    .trim()
    .min(1, "Choose an advertiser")
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, "That is not an Attribution advertiser id"),
  /** Omitted: the configured publisher entry (AMAZON_ADS_PUBLISHER_ID), else Organic/Other, else the first. */
  publisherId: z
    .string()
    .trim()
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, "That is not an Attribution publisher id")
    .optional(),
});

// A day of the calendar: 2026-02-30 is refused here (Date.parse rolls it over to March; the database
// would refuse it with a 500).
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31")
  .pipe(z.iso.date("Not a calendar date"));

export const amazonAttributionSummaryInput = z
  .object({ from: isoDay, to: isoDay })
  .refine((v) => v.from <= v.to, { message: "The start date is after the end date", path: ["from"] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86_400_000, {
    message: "Choose at most a year",
    path: ["to"],
  });
export type AmazonAttributionSummaryInput = z.infer<typeof amazonAttributionSummaryInput>;

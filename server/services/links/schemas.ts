import { z } from "zod";

/** Where a tracked link sends people: a full http(s) address (never javascript:, data: or a path). */
export const destinationSchema = z
  .string()
  .trim()
  .min(1, "Enter the address the link leads to")
  .max(2000, "Use at most 2,000 characters")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, "Use a full http:// or https:// address");

/** A UTM value as people type it; empty means "leave this parameter off". */
const utmValue = z
  .string()
  .trim()
  .max(100, "Use at most 100 characters")
  .regex(/^[^\s&=#?]*$/, "No spaces or & = # ? characters")
  .transform((v) => v || null);

export const createLinkInput = z.object({
  destination: destinationSchema,
  label: z.string().trim().max(255, "Use at most 255 characters").default(""),
  utmSource: utmValue.optional(),
  utmMedium: utmValue.optional(),
  utmCampaign: utmValue.optional(),
  contentId: z.uuid().nullable().default(null),
  campaignStepId: z.uuid().nullable().default(null),
});
export type CreateLinkInput = z.output<typeof createLinkInput>;

/** Only what is sent changes: the code never does (it is already printed and posted). */
export const updateLinkInput = z.object({
  id: z.uuid(),
  destination: destinationSchema.optional(),
  label: z.string().trim().max(255, "Use at most 255 characters").optional(),
  utmSource: utmValue.optional(),
  utmMedium: utmValue.optional(),
  utmCampaign: utmValue.optional(),
  contentId: z.uuid().nullable().optional(),
  campaignStepId: z.uuid().nullable().optional(),
});
export type UpdateLinkInput = z.output<typeof updateLinkInput>;

export const linkIdInput = z.object({ id: z.uuid() });

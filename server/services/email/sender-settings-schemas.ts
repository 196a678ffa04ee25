import { z } from "zod";

/**
 * Who a workspace's marketing mail comes from, and the postal address every message must carry
 * (CAN-SPAM); kept in `workspaces.settings.sender`. No campaign is sent before these are set.
 */
export const senderSettingsSchema = z.object({
  fromName: z.string().trim().min(1, "Enter the sender name").max(100),
  fromEmail: z.string().trim().toLowerCase().max(255).pipe(z.email("Enter a valid from address")),
  replyTo: z
    .string()
    .trim()
    .toLowerCase()
    .max(255)
    .refine((v) => v === "" || z.email().safeParse(v).success, "Enter a valid reply-to address")
    .default(""),
  postalAddress: z
    .string()
    .trim()
    .min(10, "Enter the full postal address (street, city, postcode, country)")
    .max(500),
  /** Messages per second this workspace may send (0 = no limit). */
  sendRatePerSecond: z.number().int().min(0).max(1000).default(10),
});
export type SenderSettings = z.infer<typeof senderSettingsSchema>;

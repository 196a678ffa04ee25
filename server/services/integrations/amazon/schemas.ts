import { z } from "zod";
import { AMAZON_REGIONS, MARKETPLACES, REGION_LABELS } from "@/lib/enums";

export { MARKETPLACES, REGION_LABELS };

/** Zod schemas for the Amazon and Fulfillment procedures, shared with the forms. */

export const ORDERS_API_VERSIONS = ["v0", "2026-01-01"] as const;
export type OrdersApiVersion = (typeof ORDERS_API_VERSIONS)[number];

export const connectAmazonInput = z
  .object({
    /** Both empty: the app's credentials an instance admin set (Settings → Instance) or the env's. */
    clientId: z.string().trim().max(255).default(""),
    clientSecret: z.string().trim().max(512).default(""),
    refreshToken: z
      .string()
      .trim()
      .min(1, "Enter the refresh token")
      .max(2048)
      .regex(/^Atzr\|/, "A Login with Amazon refresh token starts with Atzr|"),
    region: z.enum(AMAZON_REGIONS, "Choose a region: na, eu or fe"),
    marketplaceId: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{8,20}$/, "A marketplace id looks like ATVPDKIKX0DER"),
    ordersApiVersion: z.enum(ORDERS_API_VERSIONS).default("v0"),
  })
  .superRefine((v, ctx) => {
    if (Boolean(v.clientId) !== Boolean(v.clientSecret))
      ctx.addIssue({
        code: "custom",
        path: [v.clientId ? "clientSecret" : "clientId"],
        message: v.clientId ? "Enter the LWA client secret" : "Enter the LWA client id",
      });
    const known = MARKETPLACES.find((m) => m.id === v.marketplaceId);
    if (known && known.region !== v.region) {
      ctx.addIssue({
        code: "custom",
        path: ["marketplaceId"],
        message: `${known.name} is served by the ${REGION_LABELS[known.region]} region (${known.region})`,
      });
    }
  });
export type ConnectAmazonInput = z.infer<typeof connectAmazonInput>;

export const updateAmazonSettingsInput = z.object({
  ordersApiVersion: z.enum(ORDERS_API_VERSIONS),
});

// ---- Multi-Channel Fulfillment ----

export const SHIPPING_SPEEDS = ["Standard", "Expedited", "Priority", "ScheduledDelivery"] as const;
export type ShippingSpeed = (typeof SHIPPING_SPEEDS)[number];

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const mcfAddressInput = z.object({
  name: z.string().trim().min(1, "Enter the recipient's name").max(50),
  addressLine1: z.string().trim().min(1, "Enter the street address").max(60),
  addressLine2: optionalText(60),
  city: z.string().trim().min(1, "Enter the city").max(50),
  stateOrRegion: z.string().trim().min(1, "Enter the state or region").max(150),
  postalCode: z.string().trim().min(1, "Enter the postal code").max(20),
  countryCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code, e.g. US"),
  phone: optionalText(20),
});
export type McfAddressInput = z.infer<typeof mcfAddressInput>;

export const mcfItemInput = z.object({
  sellerSku: z.string().trim().min(1, "Enter a seller SKU").max(50, "A seller SKU has at most 50 characters"),
  quantity: z.number().int().min(1, "Quantity is at least 1").max(999),
});

export const previewFulfillmentInput = z.object({
  address: mcfAddressInput,
  items: z
    .array(mcfItemInput)
    .min(1, "Add at least one item")
    .max(50)
    .refine((items) => new Set(items.map((i) => i.sellerSku)).size === items.length, {
      message: "Each SKU once; raise its quantity instead",
    }),
  shippingSpeedCategories: z.array(z.enum(SHIPPING_SPEEDS)).max(4).optional(),
});
export type PreviewFulfillmentInput = z.infer<typeof previewFulfillmentInput>;

export const createFulfillmentInput = previewFulfillmentInput.omit({ shippingSpeedCategories: true }).extend({
  shippingSpeedCategory: z.enum(SHIPPING_SPEEDS, "Choose a shipping speed"),
  leadId: z.uuid("Lead id must be a UUID").optional(),
  displayableOrderComment: z
    .string()
    .trim()
    .min(1, "Write a comment for the packing slip")
    .max(750, "The packing-slip comment has at most 750 characters"),
});
export type CreateFulfillmentInput = z.infer<typeof createFulfillmentInput>;

export const fulfillmentIdInput = z.object({ id: z.uuid("Order id must be a UUID") });
export const listFulfillmentInput = z.object({ leadId: z.uuid().optional() });

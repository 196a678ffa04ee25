import { z } from "zod";
import { ATTRIBUTION_MODELS } from "../workspaces/schemas";

/** An amount with at most two decimals, as a string (or a JSON number that is one): never a float. */
export const decimalAmount = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === "number" ? String(v) : v.trim()))
  .pipe(
    z
      .string()
      .regex(/^\d{1,12}(\.\d{1,2})?$/, "An amount like 19.99: digits, at most two decimals, not negative"),
  );

const utmValue = z.string().trim().min(1).max(100);
export const orderUtm = z
  .object({
    source: utmValue.optional(),
    medium: utmValue.optional(),
    campaign: utmValue.optional(),
    content: utmValue.optional(),
    term: utmValue.optional(),
  })
  .strict();

/**
 * An order as a store or a script reports it (`POST /api/v1/orders`). `externalId` is the store's
 * order id: the same id again updates that order (status, total) rather than adding one. What the
 * store knows of the buyer's way in — the click id our link added (`ocid`), the UTM parameters, the
 * buyer's email — is what the order is credited by.
 */
export const recordOrderInput = z
  .object({
    externalId: z.string().trim().min(1).max(100),
    purchasedAt: z.iso.datetime({ offset: true }).optional(),
    total: decimalAmount,
    currency: z
      .string()
      .trim()
      .transform((c) => c.toUpperCase())
      .pipe(z.string().regex(/^[A-Z]{3}$/, "A three-letter ISO 4217 code, e.g. USD")),
    status: z.string().trim().min(1).max(50).default("completed"),
    channel: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9_-]+$/, "Lower-case letters, digits, - and _")
      .default("web"),
    email: z.email().max(255).optional(),
    clickId: z.uuid("The `ocid` value our link added: a UUID").optional(),
    utm: orderUtm.optional(),
    metadata: z.record(z.string().max(100), z.unknown()).optional(),
  })
  .strict();
export type RecordOrderInput = z.output<typeof recordOrderInput>;

export const attributionSettingsInput = z.object({
  workspaceId: z.uuid(),
  model: z.enum(ATTRIBUTION_MODELS),
  windowDays: z.number().int().min(1, "At least 1 day").max(90, "At most 90 days"),
});

export const listOrdersInput = z.object({
  workspaceId: z.uuid(),
  attributed: z.enum(["all", "attributed", "unattributed"]).default("all"),
  limit: z.number().int().min(1).max(100).default(50),
});

export const createStoreInput = z.discriminatedUnion("platform", [
  z.object({
    workspaceId: z.uuid(),
    platform: z.literal("shopify"),
    shop: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/,
        "The store's myshopify.com domain, e.g. acme.myshopify.com",
      ),
    /** The key Shopify shows under Settings → Notifications → Webhooks ("signed with …"). */
    secret: z.string().trim().min(16, "Paste the whole signing key Shopify shows").max(200),
  }),
  z.object({
    workspaceId: z.uuid(),
    platform: z.literal("woocommerce"),
    shop: z
      .url({ protocol: /^https?$/, message: "The store's address, e.g. https://shop.example" })
      .max(255)
      .transform((u) => new URL(u).origin),
  }),
]);
export const storeIdInput = z.object({ workspaceId: z.uuid(), id: z.uuid() });

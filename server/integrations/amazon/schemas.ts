import { z } from "zod";

/**
 * What Amazon sends back (shared/api-contracts.md, section C), validated on arrival. Objects are
 * loose: Amazon adds fields often, and a new field must never break a sync.
 */

/** Decimal money as Amazon writes it ("12.34"): kept as a string all the way to a numeric column. */
export const decimalString = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, "not a decimal amount");

export const lwaTokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive().default(3600),
  refresh_token: z.string().optional(),
});

// ---- Sellers (the cheap call that proves the credentials work and names the account) ----
export const marketplaceParticipations = z.object({
  payload: z.array(
    z.object({
      marketplace: z.object({
        id: z.string(),
        name: z.string().optional(),
        countryCode: z.string().optional(),
        defaultCurrencyCode: z.string().optional(),
      }),
      participation: z.object({ isParticipating: z.boolean() }).partial().optional(),
      storeName: z.string().optional(),
    }),
  ),
});
export type MarketplaceParticipation = z.infer<typeof marketplaceParticipations>["payload"][number];

// ---- Orders v0 (PascalCase, NextToken, OrderTotal.Amount string) ----
const moneyV0 = z.object({ CurrencyCode: z.string(), Amount: decimalString });
export const orderV0 = z.object({
  AmazonOrderId: z.string().min(1),
  PurchaseDate: z.iso.datetime({ offset: true }),
  LastUpdateDate: z.iso.datetime({ offset: true }),
  OrderStatus: z.string(),
  FulfillmentChannel: z.string().optional(),
  SalesChannel: z.string().optional(),
  MarketplaceId: z.string().optional(),
  NumberOfItemsShipped: z.number().optional(),
  NumberOfItemsUnshipped: z.number().optional(),
  OrderTotal: moneyV0.optional(),
});
export const ordersV0Response = z.object({
  payload: z.object({
    Orders: z.array(orderV0),
    NextToken: z.string().optional(),
    LastUpdatedBefore: z.string().optional(),
    CreatedBefore: z.string().optional(),
  }),
});
export type OrderV0 = z.infer<typeof orderV0>;

// ---- Orders 2026-01-01 (camelCase, paginationToken → pagination.nextToken) ----
const money2026 = z.object({ currencyCode: z.string(), amount: decimalString });
export const order2026 = z.object({
  orderId: z.string().min(1),
  createdTime: z.iso.datetime({ offset: true }),
  lastUpdatedTime: z.iso.datetime({ offset: true }),
  salesChannel: z
    .object({ marketplaceId: z.string().optional(), channelName: z.string().optional() })
    .optional(),
  fulfillment: z
    .object({ fulfillmentStatus: z.string().optional(), fulfilledBy: z.string().optional() })
    .optional(),
  proceeds: z.object({ grandTotal: money2026.optional() }).optional(),
});
export const orders2026Response = z.object({
  orders: z.array(order2026),
  pagination: z.object({ nextToken: z.string().optional() }).optional(),
});
export type Order2026 = z.infer<typeof order2026>;

// ---- Fulfillment Outbound (MCF) 2020-07-01 ----
export const mcfMoney = z.object({ currencyCode: z.string(), value: decimalString });
const weight = z.object({ unit: z.string(), value: z.union([z.string(), z.number()]) });

export const fulfillmentPreview = z.object({
  shippingSpeedCategory: z.string(),
  isFulfillable: z.boolean(),
  isCODCapable: z.boolean().optional(),
  marketplaceId: z.string().optional(),
  estimatedShippingWeight: weight.optional(),
  estimatedFees: z.array(z.object({ name: z.string(), amount: mcfMoney })).optional(),
  fulfillmentPreviewShipments: z
    .array(
      z.object({
        earliestShipDate: z.string().optional(),
        latestShipDate: z.string().optional(),
        earliestArrivalDate: z.string().optional(),
        latestArrivalDate: z.string().optional(),
        shippingNotes: z.array(z.string()).optional(),
        fulfillmentPreviewItems: z
          .array(
            z.object({
              sellerSku: z.string(),
              quantity: z.number(),
              sellerFulfillmentOrderItemId: z.string(),
              shippingWeightCalculationMethod: z.string().optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  unfulfillablePreviewItems: z
    .array(
      z.object({
        sellerSku: z.string(),
        quantity: z.number(),
        sellerFulfillmentOrderItemId: z.string(),
        itemUnfulfillableReasons: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  orderUnfulfillableReasons: z.array(z.string()).optional(),
});
export type FulfillmentPreview = z.infer<typeof fulfillmentPreview>;
export const previewResponse = z.object({
  payload: z.object({ fulfillmentPreviews: z.array(fulfillmentPreview).default([]) }),
});

export const mcfAddress = z.object({
  name: z.string(),
  addressLine1: z.string(),
  addressLine2: z.string().optional(),
  addressLine3: z.string().optional(),
  city: z.string().optional(),
  districtOrCounty: z.string().optional(),
  stateOrRegion: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string(),
  phone: z.string().optional(),
});

export const fulfillmentOrder = z.object({
  sellerFulfillmentOrderId: z.string(),
  marketplaceId: z.string().optional(),
  displayableOrderId: z.string(),
  displayableOrderDate: z.string(),
  displayableOrderComment: z.string().optional(),
  shippingSpeedCategory: z.string(),
  destinationAddress: mcfAddress.optional(),
  fulfillmentAction: z.string().optional(),
  fulfillmentPolicy: z.string().optional(),
  receivedDate: z.string().optional(),
  fulfillmentOrderStatus: z.string(),
  statusUpdatedDate: z.string().optional(),
});
export type FulfillmentOrder = z.infer<typeof fulfillmentOrder>;

export const listOrdersResponse = z.object({
  payload: z.object({
    fulfillmentOrders: z.array(fulfillmentOrder).default([]),
    nextToken: z.string().optional(),
  }),
});

export const fulfillmentShipment = z.object({
  amazonShipmentId: z.string(),
  fulfillmentCenterId: z.string().optional(),
  fulfillmentShipmentStatus: z.string(),
  shippingDate: z.string().optional(),
  estimatedArrivalDate: z.string().optional(),
  fulfillmentShipmentPackage: z
    .array(
      z.object({
        packageNumber: z.number(),
        carrierCode: z.string(),
        trackingNumber: z.string().optional(),
        estimatedArrivalDate: z.string().optional(),
      }),
    )
    .optional(),
});
export type FulfillmentShipment = z.infer<typeof fulfillmentShipment>;

export const getOrderResponse = z.object({
  payload: z.object({
    fulfillmentOrder,
    fulfillmentOrderItems: z
      .array(
        z.object({
          sellerSku: z.string(),
          sellerFulfillmentOrderItemId: z.string(),
          quantity: z.number(),
          cancelledQuantity: z.number().optional(),
          unfulfillableQuantity: z.number().optional(),
        }),
      )
      .default([]),
    fulfillmentShipments: z.array(fulfillmentShipment).optional(),
  }),
});
export type FulfillmentOrderDetail = z.infer<typeof getOrderResponse>["payload"];

/** A 200 with no payload (create, cancel): anything, or nothing, is fine. */
export const emptyResponse = z.unknown();

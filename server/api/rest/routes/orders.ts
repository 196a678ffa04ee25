import "server-only";
import { z } from "zod";
import { listOrders, recordOrder } from "@/server/services/attribution/orders";
import { recordOrderInput } from "@/server/services/attribution/schemas";
import { defineRoute, reply } from "../define";

const creditSchema = z.object({
  touch: z.enum(["link_click", "email_click", "form_signup"]),
  touchedAt: z.string(),
  linkId: z.uuid().nullable(),
  contentId: z.uuid().nullable(),
  campaignId: z.uuid().nullable(),
  campaignStepId: z.uuid().nullable(),
  formId: z.uuid().nullable(),
  revenue: z.string().describe("This touch's share of the total, exact (a decimal string)."),
});

const orderSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  source: z.string(),
  purchasedAt: z.string(),
  status: z.string(),
  channel: z.string(),
  total: z.string(),
  currency: z.string(),
  created: z
    .boolean()
    .describe("false when an order with this `externalId` was already recorded (it was updated)."),
  credits: z.array(creditSchema).describe("What the order is credited to; empty when unattributed."),
});

export const orderRoutes = [
  defineRoute({
    operationId: "orders.record",
    method: "POST",
    path: "/orders",
    scope: "write",
    tag: "Orders",
    summary: "Record an order (idempotent by externalId), credited to the content and emails that led to it",
    description:
      "Totals are exact decimals (`\"49.90\"`, at most two places) with an ISO 4217 currency. The same `externalId` again updates that order and answers 200 (a new one answers 201), so a retry never counts an order twice. The order is credited by its `clickId` (the `ocid` parameter our tracked links add) to that link; otherwise by the buyer's `email` to that lead's email clicks, link clicks and form sign-ups within the workspace's window (last touch by default; Settings → Attribution); otherwise it stays unattributed.",
    body: recordOrderInput,
    status: 201,
    response: orderSchema,
    example: {
      externalId: "1001",
      purchasedAt: "2026-12-01T10:15:00Z",
      total: "49.90",
      currency: "USD",
      email: "buyer@example.com",
      clickId: "0b9f6c2e-3a47-4d2c-9a51-6f1b2c3d4e5f",
      utm: { source: "tiktok", medium: "social", campaign: "matcha-launch" },
    },
    handler: async (ctx, { body }) => {
      const order = await recordOrder(ctx.db, ctx.principal.workspaceId, "api", body);
      return reply(order.created ? 201 : 200, order);
    },
  }),
  defineRoute({
    operationId: "orders.list",
    method: "GET",
    path: "/orders",
    scope: "read",
    tag: "Orders",
    summary: "The latest orders of every source, with what each is credited to",
    query: z.object({
      attributed: z.enum(["all", "attributed", "unattributed"]).default("all"),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
    status: 200,
    response: z.object({ data: z.array(z.record(z.string(), z.unknown())) }),
    handler: async (ctx, { query }) => ({ data: await listOrders(ctx.db, ctx.principal.workspaceId, query) }),
  }),
];

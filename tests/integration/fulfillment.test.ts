import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fulfillmentOrders, leads } from "@/server/db/schema";
import { clearAmazonTokenCache } from "@/server/integrations/amazon/client";
import { httpDefaults } from "@/server/integrations/http";
import { amazonClientOverrides } from "@/server/services/integrations/amazon/connection";
import { addDecimals } from "@/server/services/integrations/amazon/fulfillment";
import {
  type AmazonStandIn,
  STAND_IN_CREDENTIALS,
  STAND_IN_MARKETPLACE,
  startAmazonStandIn,
} from "../fixtures/stand-ins/amazon";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let amazon: AmazonStandIn;
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let leadId: string;

const address = {
  name: "Ada Lovelace",
  addressLine1: "1 Analytical Way",
  city: "Seattle",
  stateOrRegion: "WA",
  postalCode: "98109",
  countryCode: "US",
};
const items = [{ sellerSku: "SAMPLE-KIT", quantity: 2 }];

beforeAll(async () => {
  amazon = await startAmazonStandIn();
  Object.assign(amazonClientOverrides, {
    baseUrl: amazon.url,
    lwaUrl: amazon.lwaUrl,
    retries: 2,
    maxRetryWaitMs: 1000,
  });
  httpDefaults.backoffBaseMs = 5;
  f = await twoWorkspaces(h.db);
  await callerFor(h.db, f.owner).amazon.connect({
    workspaceId: f.ws.id,
    ...STAND_IN_CREDENTIALS,
    region: "na",
    marketplaceId: STAND_IN_MARKETPLACE,
  });
  const [lead] = await h.db
    .insert(leads)
    .values({ workspaceId: f.ws.id, email: "ada@example.test", name: "Ada" })
    .returning();
  leadId = lead!.id;
});
afterAll(() => amazon.close());
beforeEach(() => clearAmazonTokenCache());

describe("fulfillment (Amazon MCF)", () => {
  it("adds money exactly", () => {
    expect(addDecimals(["0.10", "0.20"])).toBe("0.30");
    expect(addDecimals(["5.49", "1.50", "0.10"])).toBe("7.09");
    expect(addDecimals(["-1.5", "0.25"])).toBe("-1.25");
  });

  it("preview shows fees, speeds and fulfillability per speed", async () => {
    const res = await callerFor(h.db, f.member).fulfillment.preview({ workspaceId: f.ws.id, address, items });
    expect(res.options.map((o) => o.shippingSpeedCategory)).toEqual(["Standard", "Expedited", "Priority"]);
    const std = res.options[0]!;
    expect(std.isFulfillable).toBe(true);
    expect(std.totalFee).toEqual({ currencyCode: "USD", value: "7.09" });
    expect(std.earliestArrival).toBeTruthy();
    const body = amazon.requests.find((r) => r.path.endsWith("/preview"))!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      marketplaceId: STAND_IN_MARKETPLACE,
      items: [{ sellerSku: "SAMPLE-KIT", sellerFulfillmentOrderItemId: "item-1", quantity: 2 }],
    });
  });

  it("preview explains what cannot be fulfilled", async () => {
    const res = await callerFor(h.db, f.member).fulfillment.preview({
      workspaceId: f.ws.id,
      address: { ...address, addressLine1: "PO Box 12" },
      items: [
        { sellerSku: "MUG-BLUE", quantity: 5 },
        { sellerSku: "NOPE", quantity: 1 },
      ],
      shippingSpeedCategories: ["Standard", "Priority"],
    });
    const [std, pri] = res.options;
    expect(std!.isFulfillable).toBe(false);
    expect(std!.unfulfillableItems).toEqual([
      { sellerSku: "MUG-BLUE", quantity: 5, reasons: ["InventoryUnavailable"] },
      { sellerSku: "NOPE", quantity: 1, reasons: ["InvalidSKU"] },
    ]);
    expect(pri!.orderUnfulfillableReasons).toEqual(["NoDeliveryToPOBox"]);
  });

  it("validation: bad input is BAD_REQUEST and nothing is sent or stored", async () => {
    const c = callerFor(h.db, f.member);
    const before = amazon.requests.length;
    await expect(
      c.fulfillment.preview({ workspaceId: f.ws.id, address: { ...address, countryCode: "USA" }, items }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.fulfillment.preview({ workspaceId: f.ws.id, address, items: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      c.fulfillment.create({
        workspaceId: f.ws.id,
        address,
        items,
        shippingSpeedCategory: "Standard",
        displayableOrderComment: "x".repeat(751),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.fulfillment.create({
        workspaceId: f.ws.id,
        address,
        items,
        shippingSpeedCategory: "Teleport" as "Standard",
        displayableOrderComment: "Hi",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(amazon.requests.length).toBe(before);
    // Unfulfillable at that speed: refused with Amazon's reasons, nothing stored.
    await expect(
      c.fulfillment.create({
        workspaceId: f.ws.id,
        address,
        items: [{ sellerSku: "NOPE", quantity: 1 }],
        shippingSpeedCategory: "Standard",
        displayableOrderComment: "Hi",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("InvalidSKU") });
    expect(
      await h.db.select().from(fulfillmentOrders).where(eq(fulfillmentOrders.workspaceId, f.ws.id)),
    ).toHaveLength(0);
  });

  let orderId: string;
  it("create sends a valid MCF order for a lead and stores it locally", async () => {
    const o = await callerFor(h.db, f.member).fulfillment.create({
      workspaceId: f.ws.id,
      address,
      items,
      shippingSpeedCategory: "Expedited",
      leadId,
      displayableOrderComment: "Thanks for trying our sample kit!",
    });
    orderId = o.id;
    expect(o).toMatchObject({
      status: "Received",
      lead: { id: leadId, email: "ada@example.test" },
      shippingSpeedCategory: "Expedited",
    });
    expect(o.sellerFulfillmentOrderId.length).toBeLessThanOrEqual(40);
    expect(o.estimatedTotal).toEqual({ currencyCode: "USD", value: "11.09" });
    const sent = amazon.requests.find(
      (r) => r.method === "POST" && r.path === "/fba/outbound/2020-07-01/fulfillmentOrders",
    )!.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      sellerFulfillmentOrderId: o.sellerFulfillmentOrderId,
      displayableOrderId: o.sellerFulfillmentOrderId,
      shippingSpeedCategory: "Expedited",
      fulfillmentAction: "Ship",
      fulfillmentPolicy: "FillOrKill",
      destinationAddress: { name: "Ada Lovelace", postalCode: "98109", countryCode: "US" },
    });
    expect(amazon.mcf.has(o.sellerFulfillmentOrderId)).toBe(true);
    const list = await callerFor(h.db, f.viewer).fulfillment.list({ workspaceId: f.ws.id });
    expect(list.map((x) => x.id)).toContain(o.id);
    const forLead = await callerFor(h.db, f.viewer).fulfillment.list({ workspaceId: f.ws.id, leadId });
    expect(forLead).toHaveLength(1);
  });

  it("get follows Amazon's status and shows shipments with tracking; the list works while Amazon is down", async () => {
    const local = (await h.db.select().from(fulfillmentOrders).where(eq(fulfillmentOrders.id, orderId)))[0]!;
    amazon.advance(local.sellerFulfillmentOrderId, 3);
    const o = await callerFor(h.db, f.viewer).fulfillment.get({ workspaceId: f.ws.id, id: orderId });
    expect(o.status).toBe("Complete");
    expect(o.shipments[0]).toMatchObject({
      status: "SHIPPED",
      packages: [{ carrierCode: "UPS", trackingNumber: expect.any(String) }],
    });
    expect(o.cancelBlockedReason).toContain("Complete");

    amazon.failNext(50, 503);
    const stale = await callerFor(h.db, f.viewer).fulfillment.get({ workspaceId: f.ws.id, id: orderId });
    expect(stale).toMatchObject({ status: "Complete", refreshError: expect.stringContaining("last known") });
    await expect(callerFor(h.db, f.viewer).fulfillment.list({ workspaceId: f.ws.id })).resolves.toHaveLength(
      1,
    );
    amazon.failNext(0, 200);
  });

  it("cancel works before shipping and is explained after", async () => {
    const c = callerFor(h.db, f.member);
    await expect(c.fulfillment.cancel({ workspaceId: f.ws.id, id: orderId })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("nothing left to cancel"),
    });
    const o = await c.fulfillment.create({
      workspaceId: f.ws.id,
      address,
      items,
      shippingSpeedCategory: "Standard",
      displayableOrderComment: "Sample",
    });
    const cancelled = await c.fulfillment.cancel({ workspaceId: f.ws.id, id: o.id });
    expect(cancelled.status).toBe("Cancelled");
    expect(amazon.mcf.get(o.sellerFulfillmentOrderId)!.status).toBe("Cancelled");

    // Stored status still says Received, but Amazon has moved on: Amazon's refusal is explained.
    const p = await c.fulfillment.create({
      workspaceId: f.ws.id,
      address,
      items,
      shippingSpeedCategory: "Standard",
      displayableOrderComment: "Sample",
    });
    amazon.advance(p.sellerFulfillmentOrderId, 2);
    await expect(c.fulfillment.cancel({ workspaceId: f.ws.id, id: p.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("PROCESSING"),
    });
  });

  it("viewers cannot preview, create or cancel; another workspace sees NOT_FOUND", async () => {
    const v = callerFor(h.db, f.viewer);
    await expect(v.fulfillment.preview({ workspaceId: f.ws.id, address, items })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      v.fulfillment.create({
        workspaceId: f.ws.id,
        address,
        items,
        shippingSpeedCategory: "Standard",
        displayableOrderComment: "x",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(v.fulfillment.cancel({ workspaceId: f.ws.id, id: orderId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const other = callerFor(h.db, f.otherOwner);
    await expect(other.fulfillment.list({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // Their own workspace: the order id of another workspace does not exist.
    await expect(other.fulfillment.get({ workspaceId: f.other.id, id: orderId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(other.fulfillment.cancel({ workspaceId: f.other.id, id: orderId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(other.fulfillment.list({ workspaceId: f.other.id })).resolves.toEqual([]);
    // A lead of another workspace cannot be shipped to.
    await expect(
      other.fulfillment.create({
        workspaceId: f.other.id,
        address,
        items,
        leadId,
        shippingSpeedCategory: "Standard",
        displayableOrderComment: "x",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // And without Amazon connected, a clear precondition.
    await expect(
      other.fulfillment.preview({ workspaceId: f.other.id, address, items }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });
});

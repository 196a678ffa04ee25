import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { type StorePlatform, storeConnections } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { CLICK_ID_PARAM } from "../links/links";
import { type RecordedOrder, recordOrder } from "./orders";
import { type createStoreInput, type RecordOrderInput, recordOrderInput } from "./schemas";
import { UUID } from "./touches";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Where a store posts its order webhooks: the path names the connection, nothing else. */
export const storeWebhookPath = (id: string) => `/api/webhooks/stores/${id}`;

export interface StoreView {
  id: string;
  platform: StorePlatform;
  shop: string;
  webhookPath: string;
  ordersReceived: number;
  lastOrderAt: Date | null;
  createdAt: Date;
}

const view = (r: typeof storeConnections.$inferSelect): StoreView => ({
  id: r.id,
  platform: r.platform,
  shop: r.shop,
  webhookPath: storeWebhookPath(r.id),
  ordersReceived: r.ordersReceived,
  lastOrderAt: r.lastOrderAt,
  createdAt: r.createdAt,
});

export async function listStores(db: Db, workspaceId: string): Promise<StoreView[]> {
  const rows = await db
    .select()
    .from(storeConnections)
    .where(eq(storeConnections.workspaceId, workspaceId))
    .orderBy(desc(storeConnections.createdAt));
  return rows.map(view);
}

/**
 * Connects a store. Shopify signs with a key its admin shows (pasted here); for WooCommerce we
 * generate the secret, shown once in the answer, to paste into the store's webhook form.
 */
export async function createStore(
  ctx: WorkspaceServiceContext,
  input: DistributiveOmit<z.output<typeof createStoreInput>, "workspaceId">,
): Promise<StoreView & { secret: string | null }> {
  const secret = input.platform === "shopify" ? input.secret : randomBytes(24).toString("base64url");
  const [row] = await ctx.db
    .insert(storeConnections)
    .values({
      workspaceId: ctx.workspaceId,
      platform: input.platform,
      shop: input.shop,
      secretSealed: encryptSecret(secret),
      createdBy: ctx.actor.userId,
    })
    .returning();
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "store.connected",
    { type: "store", id: row!.id },
    {
      platform: input.platform,
      shop: input.shop,
    },
  );
  return { ...view(row!), secret: input.platform === "woocommerce" ? secret : null };
}

export async function deleteStore(ctx: WorkspaceServiceContext, id: string): Promise<void> {
  const [row] = await ctx.db
    .delete(storeConnections)
    .where(and(eq(storeConnections.workspaceId, ctx.workspaceId), eq(storeConnections.id, id)))
    .returning();
  if (!row) throw new NotFoundError("Store not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "store.disconnected",
    { type: "store", id },
    {
      platform: row.platform,
      shop: row.shop,
    },
  );
}

/** base64(HMAC-SHA256(secret, body)) compared in constant time: Shopify's and WooCommerce's scheme. */
export function validSignature(secret: string, body: Buffer, signature: string | null): boolean {
  if (!signature) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(signature.trim(), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type WebhookOutcome =
  | { status: 200; body: { ok: true; ignored?: string; order?: RecordedOrder } }
  | { status: 400 | 401 | 404 | 413; body: { error: string } };

const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
/** An address the store gave, if it is one (a malformed one credits nothing, and loses no order). */
const email = (v: unknown) => {
  const s = str(v);
  return s && z.email().max(255).safeParse(s).success ? s : undefined;
};
const num = (v: unknown) => (typeof v === "number" || typeof v === "string" ? String(v) : undefined);

/** The click id and UTM parameters of a landing URL (absolute, or a path with a query). */
function fromLandingUrl(raw: string | undefined): { clickId?: string; utm: RecordOrderInput["utm"] } {
  if (!raw) return { utm: undefined };
  let url: URL;
  try {
    url = new URL(raw, "https://store.invalid");
  } catch {
    return { utm: undefined };
  }
  const q = (k: string) => str(url.searchParams.get(k))?.slice(0, 100);
  const utm = {
    source: q("utm_source"),
    medium: q("utm_medium"),
    campaign: q("utm_campaign"),
    content: q("utm_content"),
    term: q("utm_term"),
  };
  const clickId = q(CLICK_ID_PARAM);
  return {
    clickId: clickId && UUID.test(clickId) ? clickId : undefined,
    utm: Object.values(utm).some(Boolean) ? utm : undefined,
  };
}

const ORDER_TOPICS = {
  shopify: ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"],
  woocommerce: ["order.created", "order.updated"],
} as const;

/**
 * A Shopify order webhook's body as an order: the store's order id, `total_price` (a decimal string),
 * the buyer's email, and the click id from a `ocid` note attribute or the landing page's query.
 */
export function shopifyOrder(o: Record<string, unknown>): unknown {
  const notes = Array.isArray(o.note_attributes)
    ? (o.note_attributes as { name?: unknown; value?: unknown }[])
    : [];
  const noted = str(notes.find((n) => n?.name === CLICK_ID_PARAM)?.value);
  const landing = fromLandingUrl(str(o.landing_site));
  const customer = (o.customer ?? {}) as Record<string, unknown>;
  // Order ids can pass 2^53, where a JSON number loses digits: the GraphQL id string keeps them all.
  const gid = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(str(o.admin_graphql_api_id) ?? "")?.[1];
  return {
    externalId: gid ?? num(o.id),
    purchasedAt: str(o.created_at),
    total: num(o.total_price),
    currency: str(o.currency),
    status: o.cancelled_at ? "cancelled" : (str(o.financial_status) ?? "open"),
    channel: "shopify",
    email: email(o.email) ?? email(o.contact_email) ?? email(customer.email),
    clickId: noted && UUID.test(noted) ? noted : landing.clickId,
    utm: landing.utm,
    metadata: { name: str(o.name) },
  };
}

/**
 * A WooCommerce order webhook's body as an order: `total`, `date_created_gmt` (UTC without a zone),
 * the billing email, and the click id from an `ocid` order meta field or the landing page WooCommerce's
 * own order attribution recorded (`_wc_order_attribution_session_entry`), with its UTM fields.
 */
export function wooOrder(o: Record<string, unknown>): unknown {
  const meta = new Map(
    (Array.isArray(o.meta_data) ? (o.meta_data as { key?: unknown; value?: unknown }[]) : []).map((m) => [
      String(m?.key ?? ""),
      m?.value,
    ]),
  );
  const m = (k: string) => str(meta.get(k))?.slice(0, 100);
  const landing = fromLandingUrl(str(meta.get("_wc_order_attribution_session_entry")));
  const noted = m(CLICK_ID_PARAM) ?? m(`_${CLICK_ID_PARAM}`);
  const utm = {
    source: m("_wc_order_attribution_utm_source"),
    medium: m("_wc_order_attribution_utm_medium"),
    campaign: m("_wc_order_attribution_utm_campaign"),
    content: m("_wc_order_attribution_utm_content"),
    term: m("_wc_order_attribution_utm_term"),
  };
  const gmt = str(o.date_created_gmt);
  const billing = (o.billing ?? {}) as Record<string, unknown>;
  return {
    externalId: num(o.id),
    purchasedAt: gmt ? (/[zZ]|[+-]\d\d:\d\d$/.test(gmt) ? gmt : `${gmt}Z`) : undefined,
    total: num(o.total),
    currency: str(o.currency),
    status: str(o.status) ?? "processing",
    channel: "woocommerce",
    email: email(billing.email),
    clickId: noted && UUID.test(noted) ? noted : landing.clickId,
    utm: Object.values(utm).some(Boolean) ? utm : landing.utm,
    metadata: { number: str(o.number) },
  };
}

/**
 * An order webhook for the store connection `id`: the signature is checked with that connection's
 * secret before anything is read (401 otherwise), the workspace is the connection's, and the order
 * is recorded as the REST API records one (a redelivery updates the same order). Topics that are no
 * order event, and WooCommerce's unsigned ping when a webhook is saved, are answered 200 and change
 * nothing.
 */
export async function receiveStoreWebhook(
  db: Db,
  id: string,
  headers: Headers,
  body: Buffer,
): Promise<WebhookOutcome> {
  if (!UUID.test(id)) return { status: 404, body: { error: "No store is connected at this address" } };
  const [store] = await db.select().from(storeConnections).where(eq(storeConnections.id, id));
  if (!store) return { status: 404, body: { error: "No store is connected at this address" } };
  const platform = store.platform;
  const signature =
    platform === "shopify" ? headers.get("x-shopify-hmac-sha256") : headers.get("x-wc-webhook-signature");
  if (platform === "woocommerce" && !signature && /^webhook_id=\d+$/.test(body.toString("utf8").trim()))
    return { status: 200, body: { ok: true, ignored: "ping" } };
  if (!validSignature(decryptSecret(store.secretSealed), body, signature))
    return { status: 401, body: { error: "The webhook signature does not match this store's secret" } };
  if (platform === "shopify") {
    const domain = headers.get("x-shopify-shop-domain");
    if (domain && domain.toLowerCase() !== store.shop)
      return { status: 401, body: { error: `This address is for ${store.shop}, not ${domain}` } };
  }
  const topic =
    (platform === "shopify" ? headers.get("x-shopify-topic") : headers.get("x-wc-webhook-topic")) ?? "";
  if (!(ORDER_TOPICS[platform] as readonly string[]).includes(topic))
    return { status: 200, body: { ok: true, ignored: `topic ${topic || "(none)"}` } };

  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch {
    return { status: 400, body: { error: "The body is not JSON" } };
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    return { status: 400, body: { error: "The body is not an order object" } };
  const mapped = (platform === "shopify" ? shopifyOrder : wooOrder)(payload as Record<string, unknown>);
  const parsed = recordOrderInput.safeParse(mapped);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      status: 400,
      body: { error: `Order field ${issue.path.join(".") || "(body)"}: ${issue.message}` },
    };
  }
  const order = await recordOrder(db, store.workspaceId, platform, parsed.data);
  await db
    .update(storeConnections)
    .set({
      ordersReceived: sql`${storeConnections.ordersReceived} + ${order.created ? 1 : 0}`,
      lastOrderAt: new Date(),
    })
    .where(eq(storeConnections.id, store.id));
  return { status: 200, body: { ok: true, order } };
}

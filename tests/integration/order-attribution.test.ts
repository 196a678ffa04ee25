import { createHmac, randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as formPOST } from "@/app/api/forms/[workspace]/[form]/route";
import { GET as clickGET } from "@/app/api/track/click/[token]/route";
import { POST as storePOST } from "@/app/api/webhooks/stores/[id]/route";
import { GET as linkGET } from "@/app/l/[code]/route";
import {
  emailSends,
  formSignups,
  formSubmissions,
  jobRuns,
  leads,
  linkClicks,
  orderCredits,
  orders,
  storeConnections,
} from "@/server/db/schema";
import { refreshAnalytics } from "@/server/services/analytics/refresh";
import { rebuildAttribution, splitCredits, type Touch } from "@/server/services/attribution/attribute";
import { updateAttributionSettings } from "@/server/services/attribution/settings";
import { systemActor } from "@/server/services/context";
import { createLinkToken } from "@/server/services/email/links";
import { startCampaignSend } from "@/server/services/email/start";
import { confirmUrl } from "@/server/services/forms/confirm-link";
import { confirmSubscription } from "@/server/services/forms/submit";
import { writeSettingsSection } from "@/server/services/workspaces/settings";
import { callerFor } from "../helpers/fixtures";
import { call, setupRest } from "./rest-helpers";

const { h, f, keyA, keyB } = await setupRest();
const db = h.db;

const CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
let ip = 10;
const person = () => ({ "user-agent": CHROME, "x-forwarded-for": `198.51.100.${ip++}` });

const SENDER = {
  fromName: "Acme Team",
  fromEmail: "news@acme.example",
  replyTo: "",
  postalAddress: "Acme Ltd, 1 Market Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};

/** A person follows the tracked link: the click id the destination received. */
async function clickLink(code: string): Promise<string> {
  const res = await linkGET(new Request(`http://localhost:3000/l/${code}`, { headers: person() }), {
    params: Promise.resolve({ code }),
  });
  expect(res.status).toBe(302);
  const ocid = new URL(res.headers.get("location")!).searchParams.get("ocid");
  expect(ocid).toMatch(/^[0-9a-f-]{36}$/);
  return ocid!;
}

/** The landing page's sign-up form posted with the click id it carried. */
async function signUp(wsSlug: string, formSlug: string, email: string, ocid?: string) {
  const res = await formPOST(
    new Request(`http://localhost:3000/api/forms/${wsSlug}/${formSlug}`, {
      method: "POST",
      headers: { ...person(), "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ email, name: "Ada", ...(ocid && { ocid }) }),
    }),
    { params: Promise.resolve({ workspace: wsSlug, form: formSlug }) },
  );
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A one-time campaign to one lead, queued (in-app outbox), and the lead clicking its link. */
async function emailAndClick(workspaceId: string, leadTag: string) {
  const member = callerFor(db, workspaceId === f.ws.id ? f.member : f.otherOwner);
  await writeSettingsSection(db, workspaceId, "sender", SENDER);
  const campaign = await member.email.campaigns.create({
    workspaceId,
    type: "one-time",
    name: `Matcha news ${leadTag}`,
    audience: { criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: leadTag }] } },
    steps: [{ subject: "New matcha", body: "Try it: [shop](https://shop.example/matcha)" }],
  });
  await startCampaignSend({ db, workspaceId, actor: systemActor }, campaign.id);
  // Delivered a minute ago, then clicked by a person. Marked here rather than waiting for a sender:
  // another test file's queue worker may deliver it any moment, and a click within 2 s of delivery
  // is a scanner's (MACHINE_CLICK_MS). A claimed row's later "sent" needs it still claimed: no race.
  await db
    .update(emailSends)
    .set({ status: "sent", sentAt: new Date(Date.now() - 60_000), claimedAt: null })
    .where(eq(emailSends.campaignId, campaign.id));
  const [send] = await db.select().from(emailSends).where(eq(emailSends.campaignId, campaign.id));
  const token = createLinkToken({ kind: "c", sendId: send!.id, url: "https://shop.example/matcha" });
  const res = await clickGET(
    new Request(`http://localhost:3000/api/track/click/${token}`, { headers: person() }),
    {
      params: Promise.resolve({ token }),
    },
  );
  expect(res.status).toBe(302);
  return { campaign, stepId: send!.stepId };
}

async function creditsOf(orderId: string) {
  return db
    .select()
    .from(orderCredits)
    .where(eq(orderCredits.orderId, orderId))
    .orderBy(asc(orderCredits.position));
}

function shopifySign(secret: string, body: string) {
  return createHmac("sha256", secret).update(body).digest("base64");
}

function storeHook(id: string, body: string, headers: Record<string, string>) {
  return storePOST(
    new Request(`http://localhost:3000/api/webhooks/stores/${id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `192.0.2.${ip++ % 250}`, ...headers },
      body,
    }),
    { params: Promise.resolve({ id }) },
  );
}

// The chain of issue 17: a post → a click on its link → a sign-up carrying the click → an email
// click → an order by the buyer's email. Built once, credited by each model in turn.
const tag = `matcha-${randomUUID().slice(0, 6)}`;
const buyer = `ada-${tag}@buyer.test`;
const member = callerFor(db, f.member);
const owner = callerFor(db, f.owner);
let post: { id: string };
let link: { id: string; code: string };
let form: { id: string; slug: string };
let ocid: string;
let lead: typeof leads.$inferSelect | undefined;
let email: Awaited<ReturnType<typeof emailAndClick>>;

// In a hook, after setupRest's: the route handlers use the test database only from then on.
beforeAll(async () => {
  post = await member.content.create({ workspaceId: f.ws.id, type: "tiktok", title: "Matcha in 30 seconds" });
  link = await member.links.create({
    workspaceId: f.ws.id,
    destination: "https://shop.example/matcha",
    contentId: post.id,
  });
  form = await owner.forms.create({
    workspaceId: f.ws.id,
    name: "Matcha list",
    slug: `list-${tag}`,
    tags: [tag],
  });
  ocid = await clickLink(link.code);
  await signUp(f.ws.slug, form.slug, buyer, ocid);
  [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.email, buyer)));
  email = await emailAndClick(f.ws.id, tag);
});

describe("the chain: post → click → sign-up → email click → order", () => {
  it("the sign-up tied the click to the new lead, and recorded itself as a touch", async () => {
    expect(lead).toBeDefined();
    const [click] = await db.select().from(linkClicks).where(eq(linkClicks.id, ocid));
    expect(click?.leadId).toBe(lead!.id);
    const [signup] = await db.select().from(formSignups).where(eq(formSignups.leadId, lead!.id));
    expect(signup).toMatchObject({ formId: form.id, clickId: ocid });
  });

  it("a known lead's sign-up is a touch only once they confirm it (anyone can type an address)", async () => {
    const again = await clickLink(link.code);
    await signUp(f.ws.slug, form.slug, buyer, again);
    const signups = () => db.$count(formSignups, eq(formSignups.leadId, lead!.id));
    expect(await signups()).toBe(1);
    const [pending] = await db.select().from(formSubmissions).where(eq(formSubmissions.leadId, lead!.id));
    expect(pending?.clickId).toBe(again);
    const url = new URL(confirmUrl({ leadId: lead!.id, formId: form.id, submissionId: pending!.id }));
    expect(await confirmSubscription(db, url.searchParams, systemActor)).toMatchObject({
      status: "confirmed",
    });
    expect(await signups()).toBe(2);
    const [click] = await db.select().from(linkClicks).where(eq(linkClicks.id, again));
    expect(click?.leadId).toBe(lead!.id);
    // Kept out of the chain below: its touches are the first sign-up's.
    await db.delete(formSignups).where(and(eq(formSignups.leadId, lead!.id), eq(formSignups.clickId, again)));
    await db.delete(linkClicks).where(eq(linkClicks.id, again));
  });

  it("last touch (the default): an order by the buyer's email goes to the email they clicked last", async () => {
    const res = await call("POST", "/orders", {
      key: keyA,
      body: { externalId: `A-${tag}-1`, total: "100.00", currency: "usd", email: buyer.toUpperCase() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ created: true, total: "100.00", currency: "USD", source: "api" });
    expect(res.body.credits).toEqual([
      expect.objectContaining({
        touch: "email_click",
        campaignId: email.campaign.id,
        campaignStepId: email.stepId,
        contentId: null,
        revenue: "100.00",
      }),
    ]);
    const [row] = await db.select().from(orders).where(eq(orders.id, res.body.id));
    expect(row).toMatchObject({ leadId: lead!.id, buyerEmail: buyer });
  });

  it("the same order again is the same order (200), updated, never a second one", async () => {
    const again = await call("POST", "/orders", {
      key: keyA,
      body: { externalId: `A-${tag}-1`, total: "100.00", currency: "USD", email: buyer, status: "refunded" },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, status: "refunded" });
    const rows = await db
      .select()
      .from(orders)
      .where(and(eq(orders.workspaceId, f.ws.id), eq(orders.externalId, `A-${tag}-1`)));
    expect(rows).toHaveLength(1);
    expect(await creditsOf(rows[0]!.id)).toHaveLength(1);
  });

  it("first touch and linear: every order is credited again from the raw rows, to the cent", async () => {
    const first = await owner.attribution.updateSettings({
      workspaceId: f.ws.id,
      model: "first_touch",
      windowDays: 7,
    });
    expect(first.recredited).toBeGreaterThanOrEqual(1);
    const [order] = await db
      .select()
      .from(orders)
      .where(and(eq(orders.workspaceId, f.ws.id), eq(orders.externalId, `A-${tag}-1`)));
    expect(await creditsOf(order!.id)).toEqual([
      expect.objectContaining({
        touch: "link_click",
        linkId: link.id,
        contentId: post.id,
        revenue: "100.00",
        shares: 1,
      }),
    ]);

    await owner.attribution.updateSettings({ workspaceId: f.ws.id, model: "linear", windowDays: 7 });
    const linear = await creditsOf(order!.id);
    // The link click, the sign-up (which came from the link: the post again), the email click.
    expect(linear.map((c) => [c.touch, c.contentId, c.campaignId, c.revenue, c.shares])).toEqual([
      ["link_click", post.id, null, "33.34", 3],
      ["form_signup", post.id, null, "33.33", 3],
      ["email_click", null, email.campaign.id, "33.33", 3],
    ]);
    expect(linear[1]!.formId).toBe(form.id);
  });

  it("a touch older than the window credits nothing: the order is unattributed, and listed so", async () => {
    await owner.attribution.updateSettings({ workspaceId: f.ws.id, model: "last_touch", windowDays: 1 });
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const res = await call("POST", "/orders", {
      key: keyA,
      body: {
        externalId: `A-${tag}-late`,
        purchasedAt: later,
        total: "10.00",
        currency: "USD",
        email: buyer,
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.credits).toEqual([]);
    const unattributed = await member.attribution.orders({
      workspaceId: f.ws.id,
      attributed: "unattributed",
    });
    expect(unattributed.map((o) => o.externalId)).toContain(`A-${tag}-late`);
    const attributed = await member.attribution.orders({ workspaceId: f.ws.id, attributed: "attributed" });
    expect(attributed.map((o) => o.externalId)).toContain(`A-${tag}-1`);
    expect(attributed.map((o) => o.externalId)).not.toContain(`A-${tag}-late`);
    await owner.attribution.updateSettings({ workspaceId: f.ws.id, model: "last_touch", windowDays: 7 });
  });

  it("an order carrying the click id goes to that link, whatever the model", async () => {
    await owner.attribution.updateSettings({ workspaceId: f.ws.id, model: "linear", windowDays: 7 });
    const res = await call("POST", "/orders", {
      key: keyA,
      body: { externalId: `A-${tag}-click`, total: "25.50", currency: "EUR", clickId: ocid, email: buyer },
    });
    expect(res.body.credits).toEqual([
      expect.objectContaining({ touch: "link_click", linkId: link.id, contentId: post.id, revenue: "25.50" }),
    ]);
    await owner.attribution.updateSettings({ workspaceId: f.ws.id, model: "last_touch", windowDays: 7 });
  });

  it("an order from nobody we know is recorded and unattributed, never dropped", async () => {
    const res = await call("POST", "/orders", {
      key: keyA,
      body: { externalId: `A-${tag}-stranger`, total: 12.5, currency: "USD", email: "stranger@else.test" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ total: "12.50", credits: [] });
  });
});

describe("store webhooks", () => {
  it("Shopify: a signed orders/create is recorded and credited by the click id in its landing page", async () => {
    const secret = `shpss_${randomUUID()}`;
    const store = await owner.attribution.stores.create({
      workspaceId: f.ws.id,
      platform: "shopify",
      shop: "matcha-shop.myshopify.com",
      secret,
    });
    expect(store.webhookPath).toBe(`/api/webhooks/stores/${store.id}`);
    const click = await clickLink(link.code);
    const order = {
      id: 820982911946154500,
      admin_graphql_api_id: "gid://shopify/Order/820982911946154508",
      name: "#1001",
      email: "new-buyer@shop.test",
      created_at: "2026-12-04T10:15:00-05:00",
      currency: "USD",
      total_price: "59.98",
      financial_status: "paid",
      landing_site: `/products/matcha?utm_source=tiktok&utm_medium=social&ocid=${click}`,
      note_attributes: [],
      customer: { email: "new-buyer@shop.test" },
    };
    const body = JSON.stringify(order);
    const headers = {
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": "matcha-shop.myshopify.com",
      "x-shopify-webhook-id": randomUUID(),
    };

    // Unsigned, badly signed, or signed by another key: 401, and nothing is recorded.
    for (const sig of [undefined, "not-base64", shopifySign("another-key", body)]) {
      const res = await storeHook(store.id, body, {
        ...headers,
        ...(sig && { "x-shopify-hmac-sha256": sig }),
      });
      expect(res.status).toBe(401);
    }
    expect(
      await db.$count(
        orders,
        and(eq(orders.workspaceId, f.ws.id), eq(orders.externalId, "820982911946154508")),
      ),
    ).toBe(0);

    const res = await storeHook(store.id, body, {
      ...headers,
      "x-shopify-hmac-sha256": shopifySign(secret, body),
    });
    expect(res.status).toBe(200);
    const { order: recorded } = await res.json();
    expect(recorded).toMatchObject({
      source: "shopify",
      externalId: "820982911946154508",
      total: "59.98",
      purchasedAt: "2026-12-04T15:15:00.000Z",
    });
    expect(recorded.credits).toEqual([
      expect.objectContaining({ touch: "link_click", linkId: link.id, contentId: post.id, revenue: "59.98" }),
    ]);
    const [row] = await db.select().from(orders).where(eq(orders.id, recorded.id));
    expect(row).toMatchObject({
      workspaceId: f.ws.id,
      clickId: click,
      utm: { source: "tiktok", medium: "social" },
    });

    // Shopify redelivers: the same order, updated; still one.
    const redelivered = await storeHook(store.id, body, {
      ...headers,
      "x-shopify-hmac-sha256": shopifySign(secret, body),
    });
    expect(redelivered.status).toBe(200);
    expect(
      await db.$count(
        orders,
        and(eq(orders.workspaceId, f.ws.id), eq(orders.externalId, "820982911946154508")),
      ),
    ).toBe(1);
    const [conn] = await db.select().from(storeConnections).where(eq(storeConnections.id, store.id));
    expect(conn?.ordersReceived).toBe(1);

    // Another topic is acknowledged and ignored; another shop's domain is refused.
    const product = JSON.stringify({ id: 1, title: "Matcha" });
    const ignored = await storeHook(store.id, product, {
      ...headers,
      "x-shopify-topic": "products/update",
      "x-shopify-hmac-sha256": shopifySign(secret, product),
    });
    expect(await ignored.json()).toMatchObject({ ok: true, ignored: "topic products/update" });
    const wrongShop = await storeHook(store.id, body, {
      ...headers,
      "x-shopify-shop-domain": "evil.myshopify.com",
      "x-shopify-hmac-sha256": shopifySign(secret, body),
    });
    expect(wrongShop.status).toBe(401);
  });

  it("WooCommerce: the ping is answered, a signed order.created is credited by its order attribution", async () => {
    const store = await owner.attribution.stores.create({
      workspaceId: f.ws.id,
      platform: "woocommerce",
      shop: "https://woo.example/shop",
    });
    expect(store.shop).toBe("https://woo.example");
    expect(store.secret).toMatch(/^[\w-]{32}$/);
    const ping = await storePOST(
      new Request(`http://localhost:3000/api/webhooks/stores/${store.id}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "webhook_id=17",
      }),
      { params: Promise.resolve({ id: store.id }) },
    );
    expect(ping.status).toBe(200);

    const click = await clickLink(link.code);
    const body = JSON.stringify({
      id: 727,
      number: "727",
      status: "processing",
      currency: "GBP",
      total: "18.40",
      date_created_gmt: "2026-12-04T09:00:00",
      billing: { email: "woo-buyer@shop.test" },
      meta_data: [
        { id: 1, key: "_wc_order_attribution_utm_source", value: "tiktok" },
        {
          id: 2,
          key: "_wc_order_attribution_session_entry",
          value: `https://woo.example/matcha?ocid=${click}&utm_source=tiktok`,
        },
      ],
    });
    const sign = (s: string) => createHmac("sha256", s).update(body).digest("base64");
    const headers = { "x-wc-webhook-topic": "order.created", "x-wc-webhook-source": "https://woo.example/" };
    expect(
      (await storeHook(store.id, body, { ...headers, "x-wc-webhook-signature": sign("wrong") })).status,
    ).toBe(401);
    const res = await storeHook(store.id, body, {
      ...headers,
      "x-wc-webhook-signature": sign(store.secret!),
    });
    expect(res.status).toBe(200);
    const { order } = await res.json();
    expect(order).toMatchObject({ source: "woocommerce", total: "18.40", currency: "GBP" });
    expect(order.purchasedAt).toBe("2026-12-04T09:00:00.000Z");
    expect(order.credits).toEqual([
      expect.objectContaining({ linkId: link.id, contentId: post.id, revenue: "18.40" }),
    ]);
  });

  it("a bad order body is a 400 with the reason, an unknown store a 404, and nothing is recorded", async () => {
    const secret = `shpss_${randomUUID()}`;
    const store = await owner.attribution.stores.create({
      workspaceId: f.ws.id,
      platform: "shopify",
      shop: "bad-body.myshopify.com",
      secret,
    });
    const before = await db.$count(orders, eq(orders.workspaceId, f.ws.id));
    for (const body of ['{"id": 5, "total_price": "-3.00", "currency": "USD"}', "[1,2]", "{not json"]) {
      const res = await storeHook(store.id, body, {
        "x-shopify-topic": "orders/create",
        "x-shopify-hmac-sha256": shopifySign(secret, body),
      });
      expect(res.status, body).toBe(400);
      expect((await res.json()).error).toBeTruthy();
    }
    expect((await storeHook(randomUUID(), "{}", {})).status).toBe(404);
    expect((await storeHook("not-an-id", "{}", {})).status).toBe(404);
    expect(await db.$count(orders, eq(orders.workspaceId, f.ws.id))).toBe(before);
  });
});

describe("tenancy", () => {
  it("a click id of another workspace credits nothing there, and B's key never sees A's orders", async () => {
    const clickOfA = await clickLink(link.code);
    const res = await call("POST", "/orders", {
      key: keyB,
      body: { externalId: `B-${tag}`, total: "5.00", currency: "USD", clickId: clickOfA },
    });
    expect(res.status).toBe(201);
    expect(res.body.credits).toEqual([]);
    const [row] = await db.select().from(orders).where(eq(orders.id, res.body.id));
    expect(row).toMatchObject({ workspaceId: f.other.id, clickId: null });

    const listed = await call("GET", "/orders?limit=100", { key: keyB });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((o: { externalId: string }) => o.externalId)).toEqual([`B-${tag}`]);
  });
});

describe("bad input", () => {
  it("refuses an inexact or malformed order with a 400 naming the field, and records nothing", async () => {
    const before = await db.$count(orders, eq(orders.workspaceId, f.ws.id));
    const cases: [Record<string, unknown>, string][] = [
      [{ externalId: "x1", total: "19.999", currency: "USD" }, "total"],
      [{ externalId: "x2", total: "-1.00", currency: "USD" }, "total"],
      [{ externalId: "x3", total: 0.1 + 0.2, currency: "USD" }, "total"],
      [{ externalId: "x4", total: "1.00", currency: "US" }, "currency"],
      [{ externalId: "", total: "1.00", currency: "USD" }, "externalId"],
      [{ externalId: "x5", total: "1.00", currency: "USD", clickId: "abc" }, "clickId"],
      [{ externalId: "x6", total: "1.00", currency: "USD", email: "not-an-email" }, "email"],
      [{ externalId: "x7", total: "1.00", currency: "USD", purchasedAt: "yesterday" }, "purchasedAt"],
      [{ externalId: "x8", total: "1.00", currency: "USD", surprise: 1 }, ""],
    ];
    for (const [body, field] of cases) {
      const res = await call("POST", "/orders", { key: keyA, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(JSON.stringify(res.body), JSON.stringify(body)).toContain(field);
    }
    expect(await db.$count(orders, eq(orders.workspaceId, f.ws.id))).toBe(before);
  });

  it("refuses attribution settings out of range", async () => {
    await expect(
      owner.attribution.updateSettings({ workspaceId: f.ws.id, model: "linear", windowDays: 0 }),
    ).rejects.toThrow(/At least 1 day/);
    await expect(
      owner.attribution.updateSettings({
        workspaceId: f.ws.id,
        model: "whatever" as "linear",
        windowDays: 7,
      }),
    ).rejects.toThrow();
    expect(await member.attribution.settings({ workspaceId: f.ws.id })).toEqual({
      model: "last_touch",
      windowDays: 7,
    });
  });
});

describe("reproducible", () => {
  it("a workspace with many orders is credited again by a job, with its progress on a job run", async () => {
    const owner = { db, workspaceId: f.ws.id, actor: { userId: f.owner.id, ip: null, userAgent: "vitest" } };
    await updateAttributionSettings(owner, { model: "linear", windowDays: 7 });
    const before = await db.select().from(orderCredits).where(eq(orderCredits.workspaceId, f.ws.id));
    expect(before.some((c) => c.shares > 1)).toBe(true); // the chain's order, shared by its touches
    const saved = await updateAttributionSettings(
      owner,
      { model: "first_touch", windowDays: 7 },
      { inlineMax: 0 },
    );
    expect(saved).toMatchObject({ recredited: null, jobRunId: expect.any(String) });
    await h.queue.drain();
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.id, saved.jobRunId!));
    expect(run).toMatchObject({ status: "succeeded", progress: 100, kind: "attribution_rebuild" });
    expect(run!.result).toMatchObject({ orders: saved.orders });
    const after = await db.select().from(orderCredits).where(eq(orderCredits.workspaceId, f.ws.id));
    expect(after.every((c) => c.shares === 1)).toBe(true);
  });

  it("rebuilding every credit from scratch gives the same rows", async () => {
    await owner.attribution.updateSettings({ workspaceId: f.ws.id, model: "linear", windowDays: 7 });
    const snapshot = async () =>
      (await db.select().from(orderCredits).where(eq(orderCredits.workspaceId, f.ws.id))).sort((a, b) =>
        `${a.orderId}${a.position}`.localeCompare(`${b.orderId}${b.position}`),
      );
    const before = await snapshot();
    expect(before.length).toBeGreaterThanOrEqual(5);
    await db.delete(orderCredits).where(eq(orderCredits.workspaceId, f.ws.id));
    expect(await snapshot()).toEqual([]);
    const rebuilt = await rebuildAttribution(db, f.ws.id);
    expect(rebuilt.orders).toBe(await db.$count(orders, eq(orders.workspaceId, f.ws.id)));
    expect(await snapshot()).toEqual(before);
  });

  it("a linear split always adds up to the total, leftover cents to the earliest touches", () => {
    const touch = (i: number): Touch => ({
      kind: "email_click",
      at: new Date(i),
      ref: String(i),
      linkId: null,
      contentId: null,
      campaignId: null,
      campaignStepId: null,
      formId: null,
    });
    for (const [total, n] of [
      ["0.01", 3],
      ["100.00", 3],
      ["999999999999.99", 7],
      ["0.00", 2],
      [null, 2],
    ] as const) {
      const credits = splitCredits(
        Array.from({ length: n }, (_, i) => touch(i)),
        total,
        "linear",
      );
      const sum = credits.reduce((s, c) => s + BigInt(c.revenue.replace(".", "")), 0n);
      expect(sum, `${total} / ${n}`).toBe(BigInt((total ?? "0.00").replace(".", "")));
      const cents = credits.map((c) => BigInt(c.revenue.replace(".", "")));
      expect(cents).toEqual([...cents].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    }
  });
});

describe("where it shows: Analytics, Overview and the REST API", () => {
  it("per post, platform, campaign and step, the funnel, and the unattributed rest, from the credits", async () => {
    // Workspace B, built for exact figures: a video with a link clicked twice, a campaign whose email
    // a lead clicked, and four orders — by click (30.00), by the lead's email (20.00), from a stranger
    // (5.00), and a cancelled one by click (100.00, earns nothing).
    const bOwner = callerFor(db, f.otherOwner);
    const video = await bOwner.content.create({
      workspaceId: f.other.id,
      type: "tiktok",
      title: "Whisking 101",
    });
    const bLink = await bOwner.links.create({
      workspaceId: f.other.id,
      destination: "https://shop.example/whisk",
      contentId: video.id,
    });
    const [c1, c2] = [await clickLink(bLink.code), await clickLink(bLink.code)];
    const bTag = `whisk-${randomUUID().slice(0, 6)}`;
    const bBuyer = `grace-${bTag}@buyer.test`;
    await bOwner.leads.create({ workspaceId: f.other.id, email: bBuyer, tags: [bTag] });
    const mail = await emailAndClick(f.other.id, bTag);
    const post = (body: Record<string, unknown>) =>
      call("POST", "/orders", { key: keyB, body: { currency: "USD", ...body } });
    expect((await post({ externalId: "B-click", total: "30.00", clickId: c1 })).status).toBe(201);
    expect((await post({ externalId: "B-email", total: "20.00", email: bBuyer })).status).toBe(201);
    expect((await post({ externalId: "B-stranger", total: "5.00", email: "who@else.test" })).status).toBe(
      201,
    );
    expect(
      (await post({ externalId: "B-cancel", total: "100.00", clickId: c2, status: "cancelled" })).status,
    ).toBe(201);
    await refreshAnalytics(db, { full: true, wait: true });

    const a = await callerFor(db, f.otherOwner).analytics.attribution({
      workspaceId: f.other.id,
      preset: "7d",
    });
    expect(a.currency).toBe("USD");
    // B also holds the tenancy test's order (5.00, its click id was A's: unattributed).
    expect(a.totals).toMatchObject({
      revenue: "60.00",
      orders: 4,
      credited: { revenue: "50.00", orders: 2 },
      unattributed: { revenue: "10.00", orders: 2 },
    });
    const whisk = a.posts.find((p) => p.id === video.id);
    expect(whisk).toMatchObject({
      platform: "tiktok",
      clicks: 2,
      orders: 1,
      revenue: "30.00",
      conversionRate: 0.5,
    });
    expect(a.platforms).toEqual([{ platform: "tiktok", orders: 1, revenue: "30.00" }]);
    expect(a.campaigns).toEqual([
      expect.objectContaining({
        id: mail.campaign.id,
        orders: 1,
        revenue: "20.00",
        clicks: 1,
        conversionRate: 1,
        steps: [expect.objectContaining({ id: mail.stepId, position: 0, orders: 1, revenue: "20.00" })],
      }),
    ]);
    expect(a.funnel).toMatchObject({ linkClicks: 2, emailClicks: 1, clicks: 3, orders: 2, revenue: "50.00" });

    // Overview: top content by revenue comes from the same credits; the credited share of revenue.
    const o = await callerFor(db, f.otherOwner).analytics.overview({ workspaceId: f.other.id, preset: "7d" });
    expect(o.topByRevenue).toEqual([expect.objectContaining({ id: video.id, revenue: "30.00" })]);
    expect(o.kpis.revenue).toMatchObject({ value: "60.00", credited: { revenue: "50.00", orders: 2 } });

    // The REST API carries the same figures.
    const rest = await call("GET", "/analytics/attribution?preset=7d", { key: keyB });
    expect(rest.status).toBe(200);
    expect(rest.body.totals).toEqual(a.totals);
    expect(rest.body.posts).toEqual(a.posts);
    const restOverview = await call("GET", "/analytics/overview?preset=7d", { key: keyB });
    expect(restOverview.body.kpis.revenue.credited).toEqual({ revenue: "50.00", orders: 2 });
  });
});

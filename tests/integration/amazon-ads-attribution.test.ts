import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as linkGET } from "@/app/l/[code]/route";
import { clearLocalCache } from "@/lib/cache";
import { decryptJson } from "@/lib/secret-box";
import { amazonAdsConnections, amazonAttributionDaily, jobRuns } from "@/server/db/schema";
import { adsLwaStats, clearAmazonAdsTokenCache } from "@/server/integrations/amazon-ads/client";
import { fillAttributionTag, isAmazonDestination } from "@/server/integrations/amazon-ads/tags";
import { httpDefaults, TemporaryError } from "@/server/integrations/http";
import { amazonAttributionTickJob } from "@/server/queue/jobs/amazon-ads";
import { syncAmazonAttribution } from "@/server/services/integrations/amazon-ads/attribution-sync";
import { amazonAdsClientOverrides } from "@/server/services/integrations/amazon-ads/connection";
import { amazonAttributionSummary } from "@/server/services/integrations/amazon-ads/summary";
import {
  ADS_STAND_IN_ADVERTISER,
  ADS_STAND_IN_CREDENTIALS,
  ADS_STAND_IN_PROFILE,
  ADS_STAND_IN_PUBLISHER,
  type AmazonAdsStandIn,
  defaultAttributionEvents,
  type StandInAttributionEvent,
  startAmazonAdsStandIn,
} from "../fixtures/stand-ins/amazon-ads";
import { routeHandlersUse } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { runJobNow } from "../helpers/jobs";

const h = await setupTestDb();
routeHandlersUse(h);
let ads: AmazonAdsStandIn;
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let ipSeq = 1;

const CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/** A fixed "now", so the synced window and the stand-in's days agree. */
const NOW = new Date("2026-03-20T12:00:00Z");
const day = (ago: number) =>
  new Date(NOW.getTime() - ago * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");

async function follow(code: string) {
  const req = new Request(`http://localhost:3000/l/${code}`, {
    headers: { "user-agent": CHROME, "x-forwarded-for": `198.51.100.${ipSeq++}` },
  });
  const res = await linkGET(req, { params: Promise.resolve({ code }) });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

const connectInput = (workspaceId: string, extra: Record<string, unknown> = {}) => ({
  workspaceId,
  ...ADS_STAND_IN_CREDENTIALS,
  region: "na" as const,
  ...extra,
});

async function dailyRows(workspaceId: string) {
  const rows = await h.db
    .select()
    .from(amazonAttributionDaily)
    .where(eq(amazonAttributionDaily.workspaceId, workspaceId))
    .orderBy(
      asc(amazonAttributionDaily.day),
      asc(amazonAttributionDaily.reportType),
      asc(amazonAttributionDaily.groupLevel),
      asc(amazonAttributionDaily.campaignId),
      asc(amazonAttributionDaily.adGroupId),
      asc(amazonAttributionDaily.creativeId),
      asc(amazonAttributionDaily.productAsin),
    );
  return rows.map(({ id: _id, syncedAt: _s, ...r }) => r);
}

beforeAll(async () => {
  ads = await startAmazonAdsStandIn({ pageSize: 2, retryAfterSeconds: 0 });
  Object.assign(amazonAdsClientOverrides, {
    baseUrl: ads.url,
    tokenUrl: ads.tokenUrl,
    retries: 2,
    maxRetryWaitMs: 2000,
  });
  httpDefaults.backoffBaseMs = 5;
  f = await twoWorkspaces(h.db);
});
afterAll(async () => {
  await ads.close();
});
beforeEach(() => {
  clearAmazonAdsTokenCache();
  ads.requests.length = 0;
});

describe("connect", () => {
  it("refuses bad input and wrong credentials with a 4xx, saving nothing", async () => {
    const owner = callerFor(h.db, f.owner);
    await expect(
      owner.integrations.amazonAds.connect(connectInput(f.ws.id, { refreshToken: "not-a-token" })),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.integrations.amazonAds.connect(connectInput(f.ws.id, { region: "mars" })),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.integrations.amazonAds.connect(connectInput(f.ws.id, { refreshToken: "Atzr|wrong-token" })),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/refused/) });
    // A member may not connect at all.
    await expect(
      callerFor(h.db, f.member).integrations.amazonAds.connect(connectInput(f.ws.id)),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await owner.integrations.amazonAds.status({ workspaceId: f.ws.id })).toMatchObject({
      connected: false,
    });
  });

  it("connects with the LWA grant, picks the only profile and advertiser, and fetches the tag", async () => {
    const owner = callerFor(h.db, f.owner);
    const status = await owner.integrations.amazonAds.connect(connectInput(f.ws.id));
    expect(status).toMatchObject({
      connected: true,
      status: "connected",
      step: "ready",
      profileId: ADS_STAND_IN_PROFILE,
      currency: "USD",
      advertiserId: ADS_STAND_IN_ADVERTISER,
      publisherId: ADS_STAND_IN_PUBLISHER,
      tagKind: "nonMacro",
      hasTag: true,
    });
    // Every Ads call carried the bearer token, the client id and (but /v2/profiles) the profile scope.
    const apiCalls = ads.requests.filter((r) => r.path !== "/auth/o2/token");
    expect(apiCalls.map((r) => r.path)).toEqual(
      expect.arrayContaining(["/v2/profiles", "/attribution/advertisers", "/attribution/publishers"]),
    );
    for (const r of apiCalls) {
      expect(r.headers.authorization).toMatch(/^Bearer Atza\|ads-/);
      expect(r.headers["amazon-advertising-api-clientid"]).toBe(ADS_STAND_IN_CREDENTIALS.clientId);
      if (r.path !== "/v2/profiles")
        expect(r.headers["amazon-advertising-api-scope"]).toBe(ADS_STAND_IN_PROFILE);
    }
    const tagCall = apiCalls.find((r) => r.path === "/attribution/tags/nonMacroTemplateTag");
    expect(tagCall?.query.get("publisherIds")).toBe(ADS_STAND_IN_PUBLISHER);
    expect(tagCall?.query.get("advertiserIds")).toBe(ADS_STAND_IN_ADVERTISER);

    // The grant is stored encrypted; the status never shows it.
    const [row] = await h.db
      .select()
      .from(amazonAdsConnections)
      .where(eq(amazonAdsConnections.workspaceId, f.ws.id));
    expect(row!.secrets).not.toContain(ADS_STAND_IN_CREDENTIALS.refreshToken);
    expect(decryptJson<{ refreshToken: string }>(row!.secrets).refreshToken).toBe(
      ADS_STAND_IN_CREDENTIALS.refreshToken,
    );
    expect(JSON.stringify(status)).not.toContain(ADS_STAND_IN_CREDENTIALS.clientSecret);

    // The viewer sees the status; the pickers list what Amazon has.
    expect(
      await callerFor(h.db, f.viewer).integrations.amazonAds.status({ workspaceId: f.ws.id }),
    ).toMatchObject({ step: "ready" });
    const lists = await owner.integrations.amazonAds.advertisers({ workspaceId: f.ws.id });
    expect(lists.advertisers).toEqual([{ advertiserId: ADS_STAND_IN_ADVERTISER, name: "Stand-in Brand" }]);
    expect(lists.publishers.map((p) => p.publisherId)).toContain(ADS_STAND_IN_PUBLISHER);
  });

  it("refreshes an expired access token once and carries on", async () => {
    const owner = callerFor(h.db, f.owner);
    await owner.integrations.amazonAds.profiles({ workspaceId: f.ws.id });
    const before = adsLwaStats.calls;
    const lwaBefore = ads.lwaCalls;
    ads.expireTokens();
    const profiles = await owner.integrations.amazonAds.profiles({ workspaceId: f.ws.id });
    expect(profiles.map((p) => p.profileId)).toEqual([ADS_STAND_IN_PROFILE]);
    expect(adsLwaStats.calls - before).toBe(1);
    expect(ads.lwaCalls - lwaBefore).toBe(1);
    // The first call, the one refused with the expired token (401), and its retry with a fresh one.
    expect(ads.requests.filter((r) => r.path === "/v2/profiles").length).toBe(3);
  });

  it("refuses a profile or advertiser Amazon does not list, and bad ids, with a 4xx", async () => {
    const owner = callerFor(h.db, f.owner);
    await expect(
      owner.integrations.amazonAds.chooseProfile({ workspaceId: f.ws.id, profileId: "not-a-number" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.integrations.amazonAds.chooseProfile({ workspaceId: f.ws.id, profileId: "1111" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.integrations.amazonAds.chooseAdvertiser({ workspaceId: f.ws.id, advertiserId: "42" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.integrations.amazonAds.chooseAdvertiser({
        workspaceId: f.ws.id,
        advertiserId: ADS_STAND_IN_ADVERTISER,
        publisherId: "maas-nobody",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Nothing changed.
    expect(await owner.integrations.amazonAds.status({ workspaceId: f.ws.id })).toMatchObject({
      profileId: ADS_STAND_IN_PROFILE,
      publisherId: ADS_STAND_IN_PUBLISHER,
    });
  });
});

describe("tags on links", () => {
  it("recognises Amazon product and Store pages only", () => {
    expect(isAmazonDestination("https://www.amazon.com/dp/B0STANDIN1")).toBe(true);
    expect(isAmazonDestination("https://www.amazon.co.uk/Some-Mug/dp/B0STANDIN1/ref=sr_1_1")).toBe(true);
    expect(isAmazonDestination("https://amazon.de/gp/product/B0STANDIN1")).toBe(true);
    expect(isAmazonDestination("https://www.amazon.com/stores/StandIn/page/1234")).toBe(true);
    expect(isAmazonDestination("https://www.amazon.com/s?k=mug")).toBe(false);
    expect(isAmazonDestination("https://amazon.example.com/dp/B0STANDIN1")).toBe(false);
    expect(isAmazonDestination("https://shop.example.com/dp/B0STANDIN1")).toBe(false);
  });

  it("fills template and macro placeholders with our identifiers", () => {
    const ids = { campaignId: "organic-blog", adGroupId: "c-1", creativeId: "l-abc" };
    expect(
      fillAttributionTag(
        "?maas=m&aa_campaignid={insertCampaignId}&aa_adgroupid={insertAdGroupId}&aa_creativeid={insertAdId}",
        ids,
      ),
    ).toEqual([
      ["maas", "m"],
      ["aa_campaignid", "organic-blog"],
      ["aa_adgroupid", "c-1"],
      ["aa_creativeid", "l-abc"],
    ]);
    expect(fillAttributionTag("?aa_creativeid=ad-{creative}_{targetid}&x={{campaign.id}}", ids)).toEqual([
      ["aa_creativeid", "l-abc"],
      ["x", "organic-blog"],
    ]);
  });

  it("appends the tag to a link to an Amazon page, one identifier per content item and step; not elsewhere", async () => {
    const owner = callerFor(h.db, f.owner);
    const post = await owner.content.create({ workspaceId: f.ws.id, type: "blog", title: "Mug review" });
    const campaign = await owner.email.campaigns.create({
      workspaceId: f.ws.id,
      type: "one-time",
      name: "Spring mugs",
      steps: [{ subject: "Mugs!", body: "<p>Hi</p>" }],
    });
    const stepId = campaign.steps[0]!.id;
    const toAmazon = await owner.links.create({
      workspaceId: f.ws.id,
      destination: "https://www.amazon.com/Stand-In-Mug/dp/B0STANDIN1?th=1",
      contentId: post.id,
    });
    const elsewhere = await owner.links.create({
      workspaceId: f.ws.id,
      destination: "https://shop.example.com/products/mug",
      contentId: post.id,
    });
    const url = await follow(toAmazon.code);
    expect(url.searchParams.get("maas")).toMatch(/^maas_adg_api_\d+_static_9_99$/);
    expect(url.searchParams.get("ref_")).toBe("aa_maas");
    expect(url.searchParams.get("aa_campaignid")).toBe("organic-blog");
    expect(url.searchParams.get("aa_adgroupid")).toBe(`c-${post.id}`);
    expect(url.searchParams.get("aa_creativeid")).toBe(`l-${toAmazon.code}`);
    // What was there stays: the destination's own parameter, the UTM parameters and the click id.
    expect(url.searchParams.get("th")).toBe("1");
    expect(url.searchParams.get("utm_source")).toBe("blog");
    expect(url.searchParams.get("ocid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(url.toString()).not.toMatch(/[{}]|%7B/);

    const other = await follow(elsewhere.code);
    expect(other.searchParams.has("maas")).toBe(false);
    expect(other.searchParams.has("aa_campaignid")).toBe(false);
    expect(other.searchParams.get("ocid")).toMatch(/^[0-9a-f-]{36}$/);

    const stepLink = await owner.links.create({
      workspaceId: f.ws.id,
      destination: "https://www.amazon.com/stores/StandIn/page/ABC",
      campaignStepId: stepId,
    });
    const s = await follow(stepLink.code);
    expect(s.searchParams.get("aa_campaignid")).toBe(`e-${campaign.id}`);
    expect(s.searchParams.get("aa_adgroupid")).toBe(`s-${stepId}`);
  });
});

describe("report sync", () => {
  let postId: string;
  let code: string;
  const ours = (p: {
    ago: number;
    clicks: number;
    cents: number;
    creative?: string;
  }): StandInAttributionEvent => ({
    date: day(p.ago),
    campaignId: "organic-blog",
    adGroupId: `c-${postId}`,
    creativeId: p.creative ?? `l-${code}`,
    publisher: "Organic (integrator)",
    asin: "B0STANDIN1",
    productName: "Stand-in Mug",
    clicks: p.clicks,
    detailPageViews: p.clicks - 1,
    addToCarts: 2,
    purchases: 1,
    unitsSold: 1,
    salesCents: p.cents,
  });

  beforeAll(async () => {
    const owner = callerFor(h.db, f.owner);
    const post = await owner.content.create({ workspaceId: f.ws.id, type: "tiktok", title: "Mug unboxing" });
    const link = await owner.links.create({
      workspaceId: f.ws.id,
      destination: "https://www.amazon.com/dp/B0STANDIN1",
      contentId: post.id,
    });
    postId = post.id;
    code = link.code;
    ads.events.splice(
      0,
      ads.events.length,
      ...defaultAttributionEvents(NOW.getTime()),
      ours({ ago: 1, clicks: 5, cents: 1999 }),
      ours({ ago: 1, clicks: 3, cents: 1001, creative: "l-secondcode" }),
      ours({ ago: 2, clicks: 4, cents: 3333 }),
      // Outside the 14-day window: never stored.
      ours({ ago: 40, clicks: 100, cents: 99_999 }),
    );
  });

  it("pages through PERFORMANCE (campaign, ad group, creative) and PRODUCTS and stores exact figures", async () => {
    const result = await syncAmazonAttribution(h.db, { workspaceId: f.ws.id, now: NOW });
    expect(result).toMatchObject({ from: "2026-03-07", to: "2026-03-20", matchedContent: 1 });
    const reports = ads.requests.filter((r) => r.path === "/attribution/report");
    const bodies = reports.map((r) => r.body as Record<string, unknown>);
    expect(new Set(bodies.map((b) => `${b.reportType}/${b.groupBy ?? "-"}`))).toEqual(
      new Set(["PERFORMANCE/CAMPAIGN", "PERFORMANCE/ADGROUP", "PERFORMANCE/CREATIVE", "PRODUCTS/-"]),
    );
    for (const b of bodies) {
      expect(b).toMatchObject({
        startDate: "20260307",
        endDate: "20260320",
        advertiserIds: ADS_STAND_IN_ADVERTISER,
      });
      expect(String(b.metrics)).toContain("attributedPurchases14d");
    }
    // Pages of two rows: later pages carried the previous cursor.
    expect(bodies.some((b) => typeof b.cursorId === "string" && b.cursorId !== "")).toBe(true);

    const summary = await amazonAttributionSummary(h.db, f.ws.id, { from: "2026-03-01", to: "2026-03-31" });
    // Ours: 5 + 3 + 4 clicks, 19.99 + 10.01 + 33.33 sales, to the cent.
    expect(summary.organic).toMatchObject({ clickThroughs: 12, purchases: 3, sales: "63.33" });
    expect(summary.byContent).toEqual([
      expect.objectContaining({
        contentId: postId,
        title: "Mug unboxing",
        clickThroughs: 12,
        detailPageViews: 9,
        sales: "63.33",
      }),
    ]);
    // Totals: every campaign of the advertiser (ours + the Google Ads one: 19.99 × (1+2+3)).
    expect(summary.totals).toMatchObject({ clickThroughs: 12 + 60, sales: "183.27" });
    expect(summary.products).toEqual([expect.objectContaining({ asin: "B0STANDIN1", sales: "183.27" })]);
    expect(summary.currency).toBe("USD");
    const rows = await dailyRows(f.ws.id);
    expect(rows.every((r) => r.day >= "2026-03-07" && r.day <= "2026-03-20")).toBe(true);
    expect(rows.filter((r) => r.groupLevel === "CREATIVE" && r.contentId === postId)).toHaveLength(3);
  });

  it("synced twice gives the same rows, never doubled", async () => {
    const first = await dailyRows(f.ws.id);
    await syncAmazonAttribution(h.db, { workspaceId: f.ws.id, now: NOW });
    expect(await dailyRows(f.ws.id)).toEqual(first);
    const summary = await amazonAttributionSummary(h.db, f.ws.id, { from: "2026-03-01", to: "2026-03-31" });
    expect(summary.organic.sales).toBe("63.33");
  });

  it("Analytics → Revenue shows them per post, beside (never added to) the credited orders", async () => {
    clearLocalCache();
    const a = await callerFor(h.db, f.viewer).analytics.attribution({
      workspaceId: f.ws.id,
      preset: "custom",
      from: "2026-03-01",
      to: "2026-03-31",
    });
    expect(a.amazon).toMatchObject({ currency: "USD", sales: "63.33", purchases: 3, detailPageViews: 9 });
    expect(a.posts.find((p) => p.id === postId)).toMatchObject({
      revenue: "0.00",
      amazon: { sales: "63.33", purchases: 3, detailPageViews: 9 },
    });
    expect(a.totals.credited.revenue).toBe("0.00");
  });

  it("a 429 is retried after Retry-After; a 429 that lasts fails the sync and changes nothing", async () => {
    const before = await dailyRows(f.ws.id);
    ads.failNext(1, 429, 0);
    await syncAmazonAttribution(h.db, { workspaceId: f.ws.id, now: NOW });
    expect(ads.requests.filter((r) => r.path === "/attribution/report").length).toBeGreaterThan(4);
    expect(await dailyRows(f.ws.id)).toEqual(before);

    ads.failNext(20, 429, 0);
    await expect(syncAmazonAttribution(h.db, { workspaceId: f.ws.id, now: NOW })).rejects.toBeInstanceOf(
      TemporaryError,
    );
    ads.failNext(0, 200);
    expect(await dailyRows(f.ws.id)).toEqual(before);
    const status = await callerFor(h.db, f.owner).integrations.amazonAds.status({ workspaceId: f.ws.id });
    // A rate limit is temporary: the connection stays connected, the failure is shown.
    expect(status).toMatchObject({ status: "connected", lastSyncStatus: "error" });
    expect(status.connected && status.lastError).toMatch(/rate limit/);
  });

  it("Sync now runs as a job with a job run; the tick starts one per set-up workspace", async () => {
    const owner = callerFor(h.db, f.owner);
    const { jobRunId } = await owner.integrations.amazonAds.syncNow({ workspaceId: f.ws.id });
    await h.queue.drain();
    const [run] = await h.db.select().from(jobRuns).where(eq(jobRuns.id, jobRunId));
    expect(run).toMatchObject({ status: "succeeded", kind: "amazon.attribution-sync" });
    expect(await owner.integrations.amazonAds.status({ workspaceId: f.ws.id })).toMatchObject({
      lastSyncStatus: "ok",
      lastError: null,
    });
    const tick = (await runJobNow(h.db, amazonAttributionTickJob)) as { started: number };
    expect(tick.started).toBeGreaterThanOrEqual(1);
    await h.queue.drain();
  });

  it("another workspace is refused, and its reports never link to A's content", async () => {
    const bOwner = callerFor(h.db, f.otherOwner);
    await expect(
      bOwner.integrations.amazonAds.summary({ workspaceId: f.ws.id, from: "2026-03-01", to: "2026-03-31" }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND|FORBIDDEN/) });
    await expect(bOwner.integrations.amazonAds.syncNow({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: expect.stringMatching(/NOT_FOUND|FORBIDDEN/),
    });
    // B connects the same advertiser: the stand-in reports A's ad group ids to B too.
    await bOwner.integrations.amazonAds.connect(connectInput(f.other.id));
    await syncAmazonAttribution(h.db, { workspaceId: f.other.id, now: NOW });
    const bRows = await dailyRows(f.other.id);
    expect(bRows.length).toBeGreaterThan(0);
    expect(bRows.every((r) => r.contentId === null && r.campaignStepId === null)).toBe(true);
    const bSummary = await bOwner.integrations.amazonAds.summary({
      workspaceId: f.other.id,
      from: "2026-03-01",
      to: "2026-03-31",
    });
    expect(bSummary.byContent).toEqual([]);
    // A's figures are untouched by B's sync.
    const aSummary = await amazonAttributionSummary(h.db, f.ws.id, { from: "2026-03-01", to: "2026-03-31" });
    expect(aSummary.byContent[0]).toMatchObject({ contentId: postId, sales: "63.33" });
  });

  it("refuses a bad period with a 4xx", async () => {
    const viewer = callerFor(h.db, f.viewer);
    await expect(
      viewer.integrations.amazonAds.summary({ workspaceId: f.ws.id, from: "2026-03-31", to: "2026-03-01" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      viewer.integrations.amazonAds.summary({ workspaceId: f.ws.id, from: "March", to: "2026-03-01" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(viewer.integrations.amazonAds.syncNow({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("a revoked grant asks for a reconnect; disconnect keeps the figures and stops tagging", async () => {
    ads.revokeRefreshToken();
    clearAmazonAdsTokenCache();
    await expect(syncAmazonAttribution(h.db, { workspaceId: f.ws.id, now: NOW })).rejects.toThrow(/refused/);
    const owner = callerFor(h.db, f.owner);
    expect(await owner.integrations.amazonAds.status({ workspaceId: f.ws.id })).toMatchObject({
      status: "needs_attention",
    });
    expect(await owner.integrations.amazonAds.disconnect({ workspaceId: f.ws.id })).toEqual({
      disconnected: true,
    });
    const [row] = await h.db
      .select()
      .from(amazonAdsConnections)
      .where(and(eq(amazonAdsConnections.workspaceId, f.ws.id)));
    expect(row).toBeUndefined();
    expect((await dailyRows(f.ws.id)).length).toBeGreaterThan(0);
    const url = await follow(code);
    expect(url.searchParams.has("maas")).toBe(false);
  });
});

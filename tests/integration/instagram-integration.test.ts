import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/logger";
import { encryptJson } from "@/lib/secret-box";
import {
  content,
  contentMetricSnapshots,
  contentMetrics,
  integrations,
  mediaAssets,
} from "@/server/db/schema";
import { httpDefaults, QuotaError } from "@/server/integrations/http";
import { INSIGHT_METRICS, publishContainer } from "@/server/integrations/instagram/client";
import { readSecrets } from "@/server/integrations/store";
import { serveSignedMedia } from "@/server/media-signed-http";
import { publishContent } from "@/server/services/content/publish";
import { handleOAuthCallback } from "@/server/services/integrations/callback";
import {
  getInstagramAccess,
  type InstagramSecrets,
  instagramAccountInfo,
  instagramPublisher,
  instagramTiming,
  syncInstagramMetrics,
} from "@/server/services/integrations/instagram";
import { reelVideoUrl } from "@/server/services/integrations/instagram/video-source";
import { resetStorage, storageFor } from "@/server/storage";
import {
  IG_USER_ID,
  INSTAGRAM_CLIENT_ID,
  INSTAGRAM_CLIENT_SECRET,
  type InstagramStandIn,
  RETIRED_METRICS,
  startInstagramStandIn,
} from "../fixtures/stand-ins/instagram";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let ig: InstagramStandIn;
let app: http.Server;
let appUrl = "";
const DAY = 86_400_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-instagram-"));

/** Our signed media route on 127.0.0.1 as APP_URL, so the stand-in downloads the video as Meta would. */
async function startApp() {
  const server = http.createServer(async (req, res) => {
    const token = /^\/api\/media\/signed\/([^/?]+)$/.exec(req.url ?? "")?.[1];
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const method = req.method ?? "GET";
    const r = token
      ? await serveSignedMedia({ db: h.db, token: decodeURIComponent(token), method, headers })
      : new Response("no", { status: 404 });
    res.writeHead(r.status, Object.fromEntries(r.headers));
    if (r.body) Readable.fromWeb(r.body as import("node:stream/web").ReadableStream).pipe(res);
    else res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

beforeAll(async () => {
  ig = await startInstagramStandIn();
  app = await startApp();
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  vi.stubEnv("INSTAGRAM_CLIENT_ID", INSTAGRAM_CLIENT_ID);
  vi.stubEnv("INSTAGRAM_CLIENT_SECRET", INSTAGRAM_CLIENT_SECRET);
  vi.stubEnv("INSTAGRAM_AUTH_BASE_URL", ig.url);
  vi.stubEnv("INSTAGRAM_TOKEN_BASE_URL", ig.url);
  vi.stubEnv("INSTAGRAM_GRAPH_BASE_URL", ig.url);
  vi.stubEnv("APP_URL", appUrl);
  vi.stubEnv("DATA_DIR", dataDir);
  resetEnvCache();
  resetStorage();
  httpDefaults.backoffBaseMs = 5;
  instagramTiming.pollBaseMs = 5;
  instagramTiming.pollMaxMs = 20;
  instagramTiming.pollBudgetMs = 2_000;
  f = await twoWorkspaces(h.db);
});
afterAll(async () => {
  await ig.close();
  app.closeAllConnections();
  await new Promise<void>((r) => app.close(() => r()));
  vi.unstubAllEnvs();
  resetEnvCache();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  ig.reset();
  instagramTiming.pollBudgetMs = 2_000;
  await h.db.delete(integrations).where(eq(integrations.workspaceId, f.ws.id));
});

/** The whole connect: start (router) → stand-in authorize page → our callback. */
async function connect(user = f.owner, workspaceId = f.ws.id) {
  const { url } = await callerFor(h.db, user).integrations.connect({ workspaceId, provider: "instagram" });
  const back = new URL(await ig.approve(url));
  const outcome = await handleOAuthCallback(h.db, {
    provider: "instagram",
    url: back,
    userId: user.id,
    ip: null,
    userAgent: null,
  });
  return { url, back, outcome };
}

async function row(workspaceId = f.ws.id) {
  const [r] = await h.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.workspaceId, workspaceId), eq(integrations.provider, "instagram")));
  return r;
}

async function reel(fields: Record<string, unknown>, p: { workspaceId?: string; caption?: string } = {}) {
  const [c] = await h.db
    .insert(content)
    .values({
      workspaceId: p.workspaceId ?? f.ws.id,
      type: "instagram",
      status: "scheduled",
      title: "Moon Mug reel",
      body: p.caption ?? `Moon Mug at dawn #moonmug ${randomUUID().slice(0, 8)}`,
      scheduledAt: new Date(Date.now() - 1000),
      metadata: {
        instagram: { shareToFeed: true, coverTimeMs: 1500, videoUrl: null, mediaId: null, ...fields },
      },
    })
    .returning();
  return c!;
}

async function videoAsset(size = 256 * 1024, workspaceId = f.ws.id) {
  const id = randomUUID();
  const key = `${workspaceId}/${id}.mp4`;
  await storageFor("local").put(key, Buffer.alloc(size, 7), "video/mp4");
  await h.db.insert(mediaAssets).values({
    id,
    workspaceId,
    kind: "video",
    filename: "reel.mp4",
    mimeType: "video/mp4",
    sizeBytes: size,
    storage: "local",
    storageKey: key,
  });
  return id;
}

const publish = (id: string, attempt = 1) =>
  publishContent(h.db, { contentId: id, attempt, maxAttempts: 3, log: logger });

const item = async (id: string) => (await h.db.select().from(content).where(eq(content.id, id)))[0]!;
const rescheduled = (id: string) =>
  h.db
    .update(content)
    .set({ scheduledAt: new Date(Date.now() - 1000) })
    .where(eq(content.id, id));
const graphCalls = (edge: string) => ig.requests.filter((q) => q.path.endsWith(edge));

/** Moves our copy of the token in time, and the stand-in's. */
async function ageOurToken(ms: number) {
  const r = (await row())!;
  const s = readSecrets<InstagramSecrets>(r)!;
  await h.db
    .update(integrations)
    .set({
      secrets: encryptJson({ ...s, issuedAt: new Date(Date.parse(s.issuedAt) - ms).toISOString() }),
      tokenExpiresAt: new Date(r.tokenExpiresAt!.getTime() - ms),
    })
    .where(eq(integrations.id, r.id));
  ig.ageTokens(ms);
}

describe("Instagram connect", () => {
  it("asks for the instagram_business_* scopes, swaps the code for a 60-day token and stores it encrypted", async () => {
    const { url, outcome } = await connect();
    expect(outcome).toEqual({
      redirect: `/${f.ws.slug}/integrations?provider=instagram&connected=instagram`,
    });
    expect(new URL(url).searchParams.get("scope")).toBe(
      "instagram_business_basic,instagram_business_content_publish,instagram_business_manage_insights",
    );
    const code = ig.requests.find((q) => q.path === "/oauth/access_token");
    expect(code).toMatchObject({ method: "POST", query: { grant_type: "authorization_code" } });
    expect(ig.requests.find((q) => q.path === "/access_token")?.query.grant_type).toBe("ig_exchange_token");
    const r = (await row())!;
    expect(r).toMatchObject({ status: "connected", accountName: "moonmugco", accountId: IG_USER_ID });
    expect(r.tokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(59 * DAY);
    const s = readSecrets<InstagramSecrets>(r)!;
    expect(ig.validLongTokens()).toEqual([s.accessToken]);
    expect(r.secrets).not.toContain(s.accessToken);
  });

  it("another workspace's connect state is refused, and its rows are never used", async () => {
    const { back } = await connect();
    const replay = await handleOAuthCallback(h.db, {
      provider: "instagram",
      url: back,
      userId: f.otherOwner.id,
      ip: null,
      userAgent: null,
    });
    expect(replay).toMatchObject({ status: 400 });
    await expect(
      callerFor(h.db, f.otherOwner).integrations.connect({ workspaceId: f.ws.id, provider: "instagram" }),
    ).rejects.toThrow();
    expect(await row(f.other.id)).toBeUndefined();
    await expect(getInstagramAccess(h.db, f.other.id)).rejects.toThrow(/Connect Instagram/);
    expect(await syncInstagramMetrics(h.db, f.other.id)).toEqual({ skipped: "not_connected" });
    expect(await instagramAccountInfo(h.db, f.other.id)).toBeNull();
    // A Reel of workspace B cannot use workspace A's video.
    const mediaId = await videoAsset();
    await expect(reelVideoUrl(h.db, f.other.id, { mediaId })).rejects.toThrow(
      /no longer in the media library/,
    );
  });

  it("refreshes a token at least 24 h old close to expiry, and never a younger one", async () => {
    await connect();
    const first = readSecrets<InstagramSecrets>((await row())!)!.accessToken;
    await ageOurToken(12 * 3_600_000); // 12 h old: not refreshable yet, still 59.5 days left
    await getInstagramAccess(h.db, f.ws.id);
    expect(graphCalls("/refresh_access_token")).toHaveLength(0);
    await ageOurToken(55 * DAY); // now 55.5 days old with 4.5 days left: refreshed
    const access = await getInstagramAccess(h.db, f.ws.id);
    expect(graphCalls("/refresh_access_token")).toHaveLength(1);
    expect(access.accessToken).not.toBe(first);
    const r = (await row())!;
    expect(readSecrets<InstagramSecrets>(r)!.accessToken).toBe(access.accessToken);
    expect(r.tokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(59 * DAY);
  });

  it("an expired token cannot be refreshed: the account needs reconnecting", async () => {
    await connect();
    await ageOurToken(61 * DAY);
    await expect(getInstagramAccess(h.db, f.ws.id)).rejects.toThrow(/reconnected/);
    expect(graphCalls("/refresh_access_token")).toHaveLength(0);
    expect((await row())?.status).toBe("needs_attention");
    const out = await publish((await reel({ mediaId: await videoAsset() })).id);
    expect(out).toMatchObject({
      outcome: "failed",
      error: expect.stringMatching(/reconnected in Integrations/),
    });
  });

  it("a token Meta refuses (code 190) asks for a reconnect; disconnect forgets the account", async () => {
    await connect();
    ig.ageTokens(61 * DAY); // dead at Meta, still valid by our clock
    const out = await publish((await reel({ mediaId: await videoAsset() })).id);
    expect(out).toMatchObject({ outcome: "failed", error: expect.stringMatching(/reconnected/) });
    expect((await row())?.status).toBe("needs_attention");
    await expect(
      callerFor(h.db, f.admin).integrations.disconnect({ workspaceId: f.ws.id, provider: "instagram" }),
    ).resolves.toEqual({ revoked: false });
    expect(await row()).toBeUndefined();
  });
});

describe("Instagram Reels publishing", () => {
  it("publishes a library video: Meta downloads it from the signed address, then media_publish and permalink", async () => {
    await connect();
    const mediaId = await videoAsset(300_000);
    const post = await reel({ mediaId, shareToFeed: false });
    const out = await publish(post.id);
    expect(out.outcome).toBe("published");
    const [c] = [...ig.containers.values()];
    expect(c!.videoUrl.startsWith(`${appUrl}/api/media/signed/`)).toBe(true);
    expect(c!.fetched).toEqual({ status: 200, bytes: 300_000, contentType: "video/mp4" });
    expect(c).toMatchObject({
      mediaType: "REELS",
      shareToFeed: "false",
      thumbOffset: "1500",
      caption: post.body,
    });
    const [m] = [...ig.media.values()];
    const done = await item(post.id);
    expect(done.status).toBe("published");
    expect(done.metadata.publish_result).toMatchObject({ externalId: m!.id, url: m!.permalink });
    expect(done.metadata.instagram_publish).toMatchObject({
      containerId: c!.id,
      mediaId: m!.id,
      status: "PUBLISHED",
      // stored with the outcome, in the statement that records it (the editor's link reads it)
      permalink: m!.permalink,
    });
    expect(done.metadata.publish_result).not.toHaveProperty("metadata");
    const order = ig.requests.map((q) => q.path.split("/").slice(3).join("/"));
    expect(order.indexOf("content_publishing_limit")).toBeLessThan(order.indexOf("media"));
    expect(graphCalls("/media_publish")).toHaveLength(1);
  });

  it("stores the container before polling and resumes it on the next attempt", async () => {
    await connect();
    ig.pollsUntilDone = 1000;
    instagramTiming.pollBudgetMs = 30;
    const post = await reel({ mediaId: await videoAsset() });
    expect((await publish(post.id)).outcome).toBe("retry");
    const stored = (await item(post.id)).metadata.instagram_publish as { containerId: string };
    expect(stored.containerId).toBe([...ig.containers.keys()][0]);
    ig.pollsUntilDone = 0;
    instagramTiming.pollBudgetMs = 2_000;
    await rescheduled(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(ig.containers.size).toBe(1);
  });

  it("a crash between media_publish and storing its answer never publishes twice", async () => {
    await connect();
    ig.dropNextPublishAnswer = true;
    const post = await reel({ mediaId: await videoAsset() });
    expect((await publish(post.id)).outcome).toBe("retry");
    expect(ig.media.size).toBe(1);
    await rescheduled(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(ig.media.size).toBe(1);
    expect(graphCalls("/media_publish")).toHaveLength(1);
    const [m] = [...ig.media.values()];
    expect((await item(post.id)).metadata.publish_result).toMatchObject({
      externalId: m!.id,
      url: m!.permalink,
    });
  });

  it("a retry with a stored media id only reads the permalink", async () => {
    await connect();
    const post = await reel({ mediaId: await videoAsset() });
    await publish(post.id);
    const done = await item(post.id);
    await h.db.update(content).set({ status: "scheduled" }).where(eq(content.id, post.id));
    ig.requests.length = 0;
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(ig.requests.map((q) => q.path)).toEqual([
      `/v21.0/${(done.metadata.instagram_publish as { mediaId: string }).mediaId}`,
    ]);
  });

  it("a failed permalink read after media_publish keeps the media id: the retry only reads it again", async () => {
    await connect();
    ig.failMediaReads = 10;
    const post = await reel({ mediaId: await videoAsset() });
    expect((await publish(post.id)).outcome).toBe("retry");
    const [m] = [...ig.media.values()];
    expect((await item(post.id)).metadata.instagram_publish).toMatchObject({
      status: "PUBLISHED",
      mediaId: m!.id,
    });
    ig.failMediaReads = 0;
    ig.requests.length = 0;
    await rescheduled(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(ig.requests.map((q) => q.path)).toEqual([`/v21.0/${m!.id}`]);
    expect(ig.media.size).toBe(1);
    expect((await item(post.id)).metadata.publish_result).toMatchObject({
      externalId: m!.id,
      url: m!.permalink,
    });
  });

  it("reads the publishing limit once per Reel: before the container, not again moments later", async () => {
    await connect();
    const post = await reel({ mediaId: await videoAsset() });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(graphCalls("/content_publishing_limit")).toHaveLength(1);
  });

  it("an ERROR container fails for good, in words, with Meta's status", async () => {
    await connect();
    ig.outcome = "ERROR";
    const post = await reel({ mediaId: await videoAsset() });
    const out = await publish(post.id);
    expect(out.outcome).toBe("failed");
    expect((out as { error: string }).error).toMatch(/video format is not supported.*2207026/);
    expect(graphCalls("/media_publish")).toHaveLength(0);
    expect((await item(post.id)).metadata.instagram_publish).toMatchObject({ status: "ERROR" });
  });

  it("a video Meta cannot download is retried with a new container, and fails in words at the last attempt", async () => {
    await connect();
    const mediaId = await videoAsset();
    const post = await reel({ mediaId });
    const [asset] = await h.db.select().from(mediaAssets).where(eq(mediaAssets.id, mediaId));
    await storageFor("local").delete(asset!.storageKey);
    // Our address failed Meta's download (2207052): an ERROR container never publishes, so retry.
    expect((await publish(post.id, 1)).outcome).toBe("retry");
    await rescheduled(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("retry");
    expect(graphCalls("/media")).toHaveLength(2);
    await rescheduled(post.id);
    const out = await publish(post.id, 3);
    expect(out.outcome).toBe("failed");
    expect((out as { error: string }).error).toMatch(/could not download the video/);
    expect(graphCalls("/media_publish")).toHaveLength(0);

    // The file back: the next try makes a new container and publishes exactly once.
    const again = await reel({ mediaId });
    await storageFor("local").put(asset!.storageKey, Buffer.alloc(asset!.sizeBytes, 7), "video/mp4");
    expect((await publish(again.id, 1)).outcome).toBe("published");
    expect(graphCalls("/media_publish")).toHaveLength(1);
  });

  it("an EXPIRED container is replaced by a new one, and only the new one is published", async () => {
    await connect();
    ig.pollsUntilDone = 1000;
    instagramTiming.pollBudgetMs = 30;
    const post = await reel({ mediaId: await videoAsset() });
    expect((await publish(post.id)).outcome).toBe("retry");
    const first = [...ig.containers.keys()][0]!;
    ig.expireContainer(first);
    ig.pollsUntilDone = 0;
    instagramTiming.pollBudgetMs = 2_000;
    await rescheduled(post.id);
    expect((await publish(post.id, 2)).outcome).toBe("published");
    expect(ig.containers.size).toBe(2);
    expect([...ig.media.values()][0]!.containerId).not.toBe(first);
    expect((await item(post.id)).metadata.instagram_publish).toMatchObject({ expiredContainerIds: [first] });
  });

  it("respects the publishing limit Meta reports (quota_total read, never assumed)", async () => {
    await connect();
    ig.quotaTotal = 100;
    ig.quotaUsedElsewhere = 60; // over 50 but under this account's 100
    const ok = await reel({ mediaId: await videoAsset() });
    expect((await publish(ok.id)).outcome).toBe("published");
    ig.quotaTotal = 61; // 61 used now
    const full = await reel({ mediaId: await videoAsset() });
    const out = await publish(full.id);
    expect(out.outcome).toBe("retry");
    expect((out as { error: string }).error).toMatch(/61 of the 61 posts Instagram allows in 24 hours/);
    expect(ig.containers.size).toBe(1);
    const info = await instagramAccountInfo(h.db, f.ws.id);
    expect(info).toMatchObject({
      accountName: "moonmugco",
      options: { publishingLimit: { used: 61, total: 61, windowSeconds: 86_400 } },
    });
  });

  it("media_publish at the limit is Meta's subcode 2207042, read as a quota error", async () => {
    await connect();
    ig.pollsUntilDone = 0;
    const post = await reel({ mediaId: await videoAsset() });
    ig.pollsUntilDone = 1000;
    instagramTiming.pollBudgetMs = 30;
    await publish(post.id);
    const [c] = [...ig.containers.values()];
    c!.status = "FINISHED";
    ig.quotaUsedElsewhere = 50;
    const { accessToken } = await getInstagramAccess(h.db, f.ws.id);
    const err = await publishContainer(accessToken, IG_USER_ID, c!.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaError);
    expect((err as QuotaError).code).toBe("2207042");
  });

  it("preflight refuses a Reel without a video, an over-long caption or an account; a typed URL goes as is", async () => {
    const base = { id: randomUUID(), workspaceId: f.ws.id, type: "instagram" as const };
    const preflight = instagramPublisher.preflight!;
    const withVideo = { instagram: { mediaId: await videoAsset() } };
    await expect(preflight(h.db, { ...base, metadata: { instagram: {} }, body: "hi" })).rejects.toThrow(
      /Add a video/,
    );
    await expect(preflight(h.db, { ...base, metadata: withVideo, body: "hi" })).rejects.toThrow(
      /Connect an Instagram/,
    );
    await connect();
    await expect(preflight(h.db, { ...base, metadata: withVideo, body: "x".repeat(2201) })).rejects.toThrow(
      /2,200 characters/,
    );
    await expect(
      preflight(h.db, {
        ...base,
        metadata: withVideo,
        body: Array.from({ length: 31 }, (_, i) => `#t${i}`).join(" "),
      }),
    ).rejects.toThrow(/30 hashtags/);
    await expect(preflight(h.db, { ...base, metadata: withVideo, body: "fine" })).resolves.toBeUndefined();
    const url = "https://cdn.moonmug.test/reel.mp4"; // typed by the person: goes to Meta as is
    await expect(reelVideoUrl(h.db, f.ws.id, { videoUrl: url })).resolves.toBe(url);
  });
});

describe("Instagram insights", () => {
  it("syncs only current metric names into metrics and snapshots; empty insights are no figures, not zeros", async () => {
    await connect();
    await h.db.delete(content).where(and(eq(content.workspaceId, f.ws.id), eq(content.type, "instagram")));
    const post = await reel({ mediaId: await videoAsset() });
    expect((await publish(post.id)).outcome).toBe("published");
    expect(await syncInstagramMetrics(h.db, f.ws.id)).toEqual({ read: 1, matched: 0 });
    expect(await h.db.select().from(contentMetrics).where(eq(contentMetrics.contentId, post.id))).toEqual([]);
    const [m] = [...ig.media.values()];
    m!.insights = {
      views: 1200,
      reach: 900,
      likes: 80,
      comments: 9,
      shares: 7,
      saved: 5,
      total_interactions: 101,
    };
    expect(await syncInstagramMetrics(h.db, f.ws.id)).toEqual({ read: 1, matched: 1 });
    const [cm] = await h.db.select().from(contentMetrics).where(eq(contentMetrics.contentId, post.id));
    expect(cm).toMatchObject({ views: 1200, likes: 80, shares: 7, saves: 5 });
    const snaps = await h.db
      .select()
      .from(contentMetricSnapshots)
      .where(eq(contentMetricSnapshots.contentId, post.id));
    expect(snaps).toHaveLength(1);
    expect(snaps[0]).toMatchObject({ workspaceId: f.ws.id, views: 1200, comments: 9, saves: 5 });
    expect(new Set(graphCalls("/insights").map((q) => q.query.metric))).toEqual(
      new Set([INSIGHT_METRICS.join(",")]),
    );
    expect((await row())?.lastSyncStatus).toBe("ok");
    ig.media.clear(); // a Reel deleted on Instagram is skipped; the sync still succeeds
    expect(await syncInstagramMetrics(h.db, f.ws.id)).toEqual({ read: 1, matched: 0 });
  });

  it("a request with a retired metric name fails as a whole (why we never send one)", async () => {
    await connect();
    const post = await reel({ mediaId: await videoAsset() });
    await publish(post.id);
    const [m] = [...ig.media.values()];
    m!.insights = { views: 1 };
    const { accessToken } = await getInstagramAccess(h.db, f.ws.id);
    for (const retired of RETIRED_METRICS) {
      const u = new URL(`${ig.url}/v21.0/${m!.id}/insights`);
      u.searchParams.set("metric", `views,${retired}`);
      u.searchParams.set("access_token", accessToken);
      const res = await fetch(u);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: number } }).error.code).toBe(100);
    }
  });
});

/**
 * The video platforms of `npm run bench -- schedule`: the TikTok, YouTube and Instagram stand-ins
 * started in the bench's own process, the environment that points workers at them, OAuth connects
 * through the real callback, a small library video per workspace, the rows to schedule, and what
 * the stand-ins saw (when each item was first handed over, how many posts each item became).
 *
 * The stand-ins keep their API rules but get the limits lifted that would make the volume
 * impossible (TikTok's 6 direct posts a minute per account, YouTube's 10,000 units a day, Instagram's
 * 50 posts a day): the bench measures Organic's scheduling, not the platforms' quotas.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import {
  INSTAGRAM_CLIENT_ID,
  INSTAGRAM_CLIENT_SECRET,
  type InstagramStandIn,
  startInstagramStandIn,
} from "../../tests/fixtures/stand-ins/instagram";
import {
  startTikTokStandIn,
  TIKTOK_CLIENT_KEY,
  TIKTOK_CLIENT_SECRET,
  type TikTokStandIn,
} from "../../tests/fixtures/stand-ins/tiktok";
import {
  startYouTubeStandIn,
  YOUTUBE_CLIENT_ID,
  YOUTUBE_CLIENT_SECRET,
  type YouTubeStandIn,
} from "../../tests/fixtures/stand-ins/youtube";

export const VIDEO_PLATFORMS = ["tiktok", "youtube", "instagram"] as const;
export type VideoPlatform = (typeof VIDEO_PLATFORMS)[number];

/** Far above what one run spends (a YouTube upload is 100 units, each status poll 1). */
const YOUTUBE_QUOTA = 1_000_000_000;

/**
 * The app's database handle in this process (connects, the signed media route), opened on first use:
 * the app's modules read the environment when they load, which the bench sets first.
 */
let appDb: Promise<import("@/server/db").DbHandle> | undefined;
function openAppDb() {
  appDb ??= import("@/server/db").then((m) => m.openDb());
  return appDb;
}
async function closeAppDb() {
  if (!appDb) return;
  const handle = await appDb;
  appDb = undefined;
  const { resetStorage } = await import("@/server/storage");
  await resetStorage();
  await handle.close();
}

/** Each request a stand-in records gets the moment it arrived (the stand-ins keep no time). */
function stampArrivals(requests: object[]) {
  const push = requests.push.bind(requests);
  requests.push = (...items: object[]) => {
    const at = Date.now();
    for (const item of items) Object.assign(item, { at });
    return push(...items);
  };
}
const arrivedAt = (r: object) => (r as { at?: number }).at ?? Number.NaN;

export interface VideoStandIns {
  tiktok: TikTokStandIn;
  youtube: YouTubeStandIn;
  instagram: InstagramStandIn;
  /** Where Instagram downloads a Reel's video from: the signed media route, served by the bench. */
  appUrl: string;
  /** What the workers (and the bench's own connects) need to reach the stand-ins. */
  env: Record<string, string>;
  /** How the stand-ins were tuned, for the result line. */
  settings: Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * Starts the three stand-ins and the signed-media server Instagram downloads from. `pollsUntilDone`
 * is how many status polls a post stays in processing (the stand-ins' default is 2).
 */
export async function startVideoStandIns(opts: {
  posts: number;
  pollsUntilDone?: number;
}): Promise<VideoStandIns> {
  const tiktok = await startTikTokStandIn();
  const youtube = await startYouTubeStandIn();
  const instagram = await startInstagramStandIn();
  const media = await startSignedMediaServer();
  for (const s of [tiktok, youtube, instagram]) stampArrivals(s.requests);

  tiktok.rateLimits = {};
  youtube.quota = { ...youtube.quota, limit: YOUTUBE_QUOTA };
  instagram.quotaTotal = opts.posts * 2;
  if (opts.pollsUntilDone !== undefined) {
    tiktok.pollsUntilDone = opts.pollsUntilDone;
    youtube.processing = { ...youtube.processing, pollsUntilDone: opts.pollsUntilDone };
    instagram.pollsUntilDone = opts.pollsUntilDone;
  }

  return {
    tiktok,
    youtube,
    instagram,
    appUrl: media.url,
    env: {
      APP_URL: media.url,
      TIKTOK_CLIENT_KEY,
      TIKTOK_CLIENT_SECRET,
      TIKTOK_API_BASE_URL: tiktok.url,
      TIKTOK_AUTH_BASE_URL: tiktok.url,
      GOOGLE_CLIENT_ID: YOUTUBE_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: YOUTUBE_CLIENT_SECRET,
      GOOGLE_OAUTH_BASE_URL: youtube.url,
      GOOGLE_AUTH_BASE_URL: youtube.url,
      YOUTUBE_API_BASE_URL: youtube.url,
      YOUTUBE_DAILY_QUOTA: String(YOUTUBE_QUOTA),
      INSTAGRAM_CLIENT_ID,
      INSTAGRAM_CLIENT_SECRET,
      INSTAGRAM_AUTH_BASE_URL: instagram.url,
      INSTAGRAM_TOKEN_BASE_URL: instagram.url,
      INSTAGRAM_GRAPH_BASE_URL: instagram.url,
    },
    settings: {
      tiktokRateLimits: "off",
      youtubeQuotaUnits: YOUTUBE_QUOTA,
      instagramPostsPer24h: instagram.quotaTotal,
      statusPollsUntilDone: tiktok.pollsUntilDone,
    },
    async close() {
      await Promise.all([tiktok.close(), youtube.close(), instagram.close(), media.close()]);
      await closeAppDb();
    },
  };
}

/**
 * Our `/api/media/signed/<token>` route on 127.0.0.1 (what APP_URL serves in production), so the
 * Instagram stand-in downloads each Reel's video as Meta would. The app's modules load on the first
 * request, once the bench has set the environment they read.
 */
async function startSignedMediaServer() {
  let app: Promise<{ serve: typeof import("@/server/media-signed-http").serveSignedMedia; db: unknown }>;
  const load = () => {
    app ??= (async () => {
      const { serveSignedMedia } = await import("@/server/media-signed-http");
      return { serve: serveSignedMedia, db: (await openAppDb()).db };
    })();
    return app;
  };
  const server = http.createServer(async (req, res) => {
    try {
      const token = /^\/api\/media\/signed\/([^/?]+)$/.exec(req.url ?? "")?.[1];
      if (!token) {
        res.writeHead(404).end();
        return;
      }
      const { serve, db } = await load();
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const r = await serve({
        db: db as Parameters<typeof serve>[0]["db"],
        token: decodeURIComponent(token),
        method: req.method ?? "GET",
        headers,
      });
      res.writeHead(r.status, Object.fromEntries(r.headers));
      if (r.body) Readable.fromWeb(r.body as WebReadableStream).pipe(res);
      else res.end();
    } catch (err) {
      process.stderr.write(`[bench schedule] signed media: ${err}\n`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Connects every platform in every workspace the way a person does: the connect start (what the
 * Integrations page calls), the stand-in's authorize page, then our OAuth callback. Also puts one
 * small video in each workspace's media library. Returns each workspace's video id.
 */
export async function prepareWorkspaces(p: {
  workspaceIds: string[];
  ownerId: string;
  platforms: VideoPlatform[];
  standIns: VideoStandIns;
  videoBytes: number;
}): Promise<Map<string, string>> {
  const { OAUTH_CONNECTORS } = await import("@/server/services/integrations/connectors");
  const { handleOAuthCallback } = await import("@/server/services/integrations/callback");
  const { getStorage } = await import("@/server/storage");
  const { mediaAssets } = await import("@/server/db/schema");
  const { db } = await openAppDb();
  const storage = getStorage();
  const video = Buffer.alloc(p.videoBytes);
  for (let i = 0; i < video.length; i++) video[i] = i % 251;
  const videos = new Map<string, string>();
  for (const workspaceId of p.workspaceIds) {
    for (const provider of p.platforms) {
      const { url } = await OAUTH_CONNECTORS[provider].start(db, {
        workspaceId,
        userId: p.ownerId,
        baseUrl: p.standIns.appUrl,
      });
      const back = new URL(await p.standIns[provider].approve(url));
      const outcome = await handleOAuthCallback(db, {
        provider,
        url: back,
        userId: p.ownerId,
        ip: null,
        userAgent: null,
      });
      if (!("redirect" in outcome) || !outcome.redirect.includes(`connected=${provider}`))
        throw new Error(`connecting ${provider} failed: ${JSON.stringify(outcome)}`);
    }
    const key = `${workspaceId}/bench-${randomBytes(6).toString("hex")}.mp4`;
    await storage.put(key, video, "video/mp4");
    const [asset] = await db
      .insert(mediaAssets)
      .values({
        workspaceId,
        kind: "video",
        filename: "bench.mp4",
        mimeType: "video/mp4",
        sizeBytes: video.length,
        storage: storage.kind,
        storageKey: key,
        createdBy: p.ownerId,
      })
      .returning({ id: mediaAssets.id });
    videos.set(workspaceId, asset!.id);
  }
  return videos;
}

/** The platform fields of a ready-to-publish item of each type, with the workspace's library video. */
export function videoMetadata(platform: VideoPlatform, mediaId: string): Record<string, unknown> {
  if (platform === "tiktok")
    return {
      tiktok: {
        privacyLevel: "PUBLIC_TO_EVERYONE",
        allowComments: true,
        allowDuet: true,
        allowStitch: true,
        coverTimeMs: 0,
        videoUrl: null,
        mediaId,
      },
    };
  if (platform === "youtube")
    return {
      youtube: {
        privacyStatus: "public",
        madeForKids: false,
        tags: ["bench"],
        categoryId: "22",
        notifySubscribers: false,
        scheduleWith: "organic",
        containsSyntheticMedia: false,
        videoUrl: null,
        mediaId,
      },
    };
  return { instagram: { shareToFeed: true, coverTimeMs: 0, videoUrl: null, mediaId } };
}

const ITEM_ID = /bench:([0-9a-f-]{36})/;
/** The text every item carries (title and body), by which the stand-ins' records name the item. */
export const itemTag = (id: string) => `bench:${id}`;

export interface StandInView {
  /** When the call that hands the post over first reached the stand-in, per item id. */
  handedOverAt: Map<string, number>;
  /** Posts the platform created per item id (a count above 1 is a duplicate post). */
  posts: Map<string, number>;
  /** Calls of that kind per item id (retries included). */
  handoffCalls: Map<string, number>;
  /** Processing status polls per item id (TikTok status fetch, videos.list, a container's GET). */
  statusCalls: Map<string, number>;
  requests: number;
}

/**
 * What one stand-in saw. The hand-over call: TikTok's direct-post init, YouTube's upload session
 * (videos.insert), Instagram's container creation. The posts: TikTok's direct posts, YouTube's
 * created videos, Instagram's published media.
 */
export function standInView(s: VideoStandIns, platform: VideoPlatform): StandInView {
  const view: StandInView = {
    handedOverAt: new Map(),
    posts: new Map(),
    handoffCalls: new Map(),
    statusCalls: new Map(),
    requests: 0,
  };
  const count = (m: Map<string, number>, text: unknown) => {
    const id = ITEM_ID.exec(String(text ?? ""))?.[1];
    if (id) m.set(id, (m.get(id) ?? 0) + 1);
    return id;
  };
  const handoff = (text: unknown, at: number) => {
    const id = count(view.handoffCalls, text);
    if (id && !(view.handedOverAt.get(id)! <= at)) view.handedOverAt.set(id, at);
  };
  if (platform === "tiktok") {
    view.requests = s.tiktok.requests.length;
    for (const r of s.tiktok.requests)
      if (r.method === "POST" && r.path === "/v2/post/publish/video/init/")
        handoff((r.body as { post_info?: { title?: string } } | null)?.post_info?.title, arrivedAt(r));
    const titles = new Map<string, unknown>();
    for (const [key, u] of s.tiktok.uploads) {
      count(view.posts, u.postInfo.title);
      titles.set(key, u.postInfo.title);
    }
    for (const r of s.tiktok.requests)
      if (r.path === "/v2/post/publish/status/fetch/") {
        const publishId = String((r.body as { publish_id?: string } | null)?.publish_id ?? "");
        count(view.statusCalls, titles.get(publishId.split(".").pop() ?? ""));
      }
  } else if (platform === "youtube") {
    view.requests = s.youtube.requests.length;
    for (const r of s.youtube.requests)
      if (r.method === "POST" && r.path === "/upload/youtube/v3/videos")
        handoff((r.body as { snippet?: { title?: string } } | null)?.snippet?.title, arrivedAt(r));
    for (const v of s.youtube.videos.values()) count(view.posts, v.snippet.title);
    for (const r of s.youtube.requests)
      if (r.method === "GET" && r.path === "/youtube/v3/videos")
        for (const id of (r.query.get("id") ?? "").split(","))
          count(view.statusCalls, s.youtube.videos.get(id)?.snippet.title);
  } else {
    view.requests = s.instagram.requests.length;
    for (const r of s.instagram.requests)
      if (r.method === "POST" && /^\/v\d+\.\d+\/[^/]+\/media$/.test(r.path))
        handoff(r.query.caption, arrivedAt(r));
    for (const m of s.instagram.media.values()) count(view.posts, m.caption);
    for (const r of s.instagram.requests) {
      const container = /^\/v\d+\.\d+\/(\d+)$/.exec(r.path)?.[1];
      if (r.method === "GET" && container)
        count(view.statusCalls, s.instagram.containers.get(container)?.caption);
    }
  }
  return view;
}

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/logger";
import { content, integrations, mediaAssets, platformQuotaUsage } from "@/server/db/schema";
import { httpDefaults } from "@/server/integrations/http";
import { publishContent } from "@/server/services/content/publish";
import { handleOAuthCallback } from "@/server/services/integrations/callback";
import { youtubeTiming } from "@/server/services/integrations/youtube";
import { quotaProject } from "@/server/services/integrations/youtube/quota";
import { resetStorage, storageFor } from "@/server/storage";
import {
  startYouTubeStandIn,
  YOUTUBE_CLIENT_SECRET,
  type YouTubeStandIn,
} from "../fixtures/stand-ins/youtube";
import { setupTestDb } from "./db";
import { callerFor, twoWorkspaces } from "./fixtures";

export const KIB256 = 256 * 1024;

/**
 * The YouTube test files' shared setup: a real database, the YouTube stand-in as Google OAuth and
 * YouTube API, two workspaces, short timings (256 KiB chunks), and helpers that connect, make
 * library videos and Shorts, and publish through the content hub. `s.f` and `s.yt` are set in
 * beforeAll; every test starts disconnected with an unused quota.
 */
export async function setupYouTube() {
  const h = await setupTestDb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-youtube-"));
  const timing = { ...youtubeTiming };
  // A client id of this file's own: the quota is counted per Google project, i.e. per client id.
  const clientId = `standin-${randomUUID()}.apps.googleusercontent.com`;
  const s = {
    h,
    clientId,
    f: undefined as unknown as Awaited<ReturnType<typeof twoWorkspaces>>,
    yt: undefined as unknown as YouTubeStandIn,
  };
  /** This file's row of platform_quota_usage. */
  const quotaWhere = () =>
    and(
      eq(platformQuotaUsage.provider, "youtube"),
      eq(platformQuotaUsage.project, quotaProject({ clientId })),
    );
  beforeAll(async () => {
    s.yt = await startYouTubeStandIn({ clientId });
    vi.stubEnv("GOOGLE_CLIENT_ID", clientId);
    vi.stubEnv("GOOGLE_CLIENT_SECRET", YOUTUBE_CLIENT_SECRET);
    vi.stubEnv("GOOGLE_OAUTH_BASE_URL", s.yt.url);
    vi.stubEnv("GOOGLE_AUTH_BASE_URL", s.yt.url);
    vi.stubEnv("YOUTUBE_API_BASE_URL", s.yt.url);
    vi.stubEnv("DATA_DIR", dataDir);
    resetEnvCache();
    resetStorage();
    httpDefaults.backoffBaseMs = 5;
    s.f = await twoWorkspaces(h.db);
  });
  afterAll(async () => {
    await s.yt.close();
    vi.unstubAllEnvs();
    resetEnvCache();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    s.yt.reset();
    Object.assign(youtubeTiming, timing, {
      pollBaseMs: 5,
      pollMaxMs: 20,
      pollBudgetMs: 2_000,
      chunkBytes: KIB256,
    });
    await h.db
      .delete(integrations)
      .where(
        and(
          eq(integrations.provider, "youtube"),
          inArray(integrations.workspaceId, [s.f.ws.id, s.f.other.id]),
        ),
      );
    await h.db.delete(platformQuotaUsage).where(quotaWhere());
  });

  async function connect(user = s.f.owner, workspaceId = s.f.ws.id) {
    const { url } = await callerFor(h.db, user).integrations.connect({ workspaceId, provider: "youtube" });
    const back = new URL(await s.yt.approve(url));
    const outcome = await handleOAuthCallback(h.db, {
      provider: "youtube",
      url: back,
      userId: user.id,
      ip: null,
      userAgent: null,
    });
    return { url: new URL(url), back, outcome };
  }

  async function row(workspaceId = s.f.ws.id) {
    const [r] = await h.db
      .select()
      .from(integrations)
      .where(and(eq(integrations.workspaceId, workspaceId), eq(integrations.provider, "youtube")));
    return r;
  }

  async function videoAsset(size: number, workspaceId = s.f.ws.id) {
    const id = randomUUID();
    const key = `${workspaceId}/${id}.mp4`;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = i % 251;
    await storageFor("local").put(key, bytes, "video/mp4");
    await h.db.insert(mediaAssets).values({
      id,
      workspaceId,
      kind: "video",
      filename: "short.mp4",
      mimeType: "video/mp4",
      sizeBytes: size,
      storage: "local",
      storageKey: key,
    });
    return id;
  }

  async function short(
    fields: Record<string, unknown>,
    p: { workspaceId?: string; status?: "draft" | "scheduled" } = {},
  ) {
    const [c] = await h.db
      .insert(content)
      .values({
        workspaceId: p.workspaceId ?? s.f.ws.id,
        type: "youtube",
        status: p.status ?? "scheduled",
        title: "Moon Mug in 30 seconds",
        body: "Why the Moon Mug keeps coffee hot #moonmug",
        scheduledAt: new Date(Date.now() - 1000),
        metadata: {
          youtube: {
            privacyStatus: "public",
            madeForKids: false,
            tags: ["moon mug", "coffee"],
            categoryId: "22",
            notifySubscribers: true,
            scheduleWith: "organic",
            containsSyntheticMedia: false,
            videoUrl: null,
            mediaId: null,
            ...fields,
          },
        },
      })
      .returning();
    return c!;
  }

  const publish = (id: string, attempt = 1) =>
    publishContent(h.db, { contentId: id, attempt, maxAttempts: 3, log: logger });

  async function item(id: string) {
    const [c] = await h.db.select().from(content).where(eq(content.id, id));
    return c!;
  }

  /** Makes a row due again after a retry, as the queue's next attempt would find it. */
  const dueAgain = (id: string) =>
    h.db
      .update(content)
      .set({ scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(content.id, id));

  const inserts = () =>
    s.yt.requests.filter((q) => q.method === "POST" && q.path === "/upload/youtube/v3/videos");

  // The same object beforeAll fills in: `f` and `yt` are read from it once the hooks ran.
  return Object.assign(s, { quotaWhere, connect, row, videoAsset, short, publish, item, dueAgain, inserts });
}

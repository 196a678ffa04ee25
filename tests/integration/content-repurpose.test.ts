import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { content, integrations, mediaAssets } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 20, point 4: "Post everywhere" turns one video into a linked draft per platform, each with
 * the words fitted to that platform, scheduled together or staggered — or nothing at all when one
 * platform refuses.
 */
const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let videoId: string;

const HASHTAGS = Array.from({ length: 40 }, (_, i) => `#tag${i}`).join(" ");
const LONG_TITLE = `A very long title about our <new> tea kettle ${"that keeps going ".repeat(8)}`;

async function itemsOfGroup(groupId: string) {
  return h.db
    .select()
    .from(content)
    .where(and(eq(content.workspaceId, f.ws.id), eq(content.groupId, groupId)));
}

async function connect(provider: "youtube" | "instagram" | "tiktok") {
  await h.db
    .insert(integrations)
    .values({
      workspaceId: f.ws.id,
      provider,
      status: "connected",
      accountName: `${provider} account`,
      tokenExpiresAt: new Date(Date.now() + 30 * 86_400_000),
    })
    .onConflictDoNothing();
}

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  const [video] = await h.db
    .insert(mediaAssets)
    .values({
      workspaceId: f.ws.id,
      kind: "video",
      filename: "kettle.mp4",
      mimeType: "video/mp4",
      sizeBytes: 1000,
      storage: "local",
      storageKey: `media/${f.ws.id}/${randomUUID()}.mp4`,
      createdBy: f.owner.id,
    })
    .returning();
  videoId = video!.id;
});

describe("post everywhere", () => {
  it("makes a linked draft per platform, each within that platform's limits", async () => {
    const owner = callerFor(h.db, f.owner);
    const source = await owner.content.create({
      workspaceId: f.ws.id,
      type: "tiktok",
      title: LONG_TITLE,
      body: `Meet the kettle that boils in 90 seconds.\n\n${HASHTAGS}`,
      tiktok: { mediaId: videoId },
    });
    const result = await owner.content.postEverywhere({
      workspaceId: f.ws.id,
      id: source.id,
      platforms: ["tiktok", "youtube", "instagram"],
    });
    expect(result.created.map((c) => c.type).sort()).toEqual(["instagram", "youtube"]);
    expect(result.created.every((c) => c.status === "draft")).toBe(true);

    const group = await itemsOfGroup(result.groupId);
    expect(group.map((r) => r.type).sort()).toEqual(["instagram", "tiktok", "youtube"]);
    const yt = group.find((r) => r.type === "youtube")!;
    expect(yt.title.length).toBeLessThanOrEqual(100);
    expect(yt.title).not.toMatch(/[<>]/);
    expect(yt.body).toContain("Meet the kettle");
    expect((yt.metadata.youtube as { mediaId: string; tags: string[] }).mediaId).toBe(videoId);
    expect((yt.metadata.youtube as { tags: string[] }).tags.join(",").length).toBeLessThanOrEqual(500);
    const ig = group.find((r) => r.type === "instagram")!;
    expect(ig.body!.match(/#\w+/g)!.length).toBeLessThanOrEqual(30);
    expect(ig.body).toContain("Meet the kettle");
    expect((ig.metadata.instagram as { mediaId: string }).mediaId).toBe(videoId);

    const listed = await owner.content.group({ workspaceId: f.ws.id, groupId: result.groupId });
    expect(listed.map((r) => r.id).sort()).toEqual(group.map((r) => r.id).sort());

    // Asked again: every platform already has its post of this video.
    await expect(
      owner.content.postEverywhere({ workspaceId: f.ws.id, id: source.id, platforms: ["youtube"] }),
    ).rejects.toThrow(/already has a post/);
  });

  it("a blog post becomes the words of the videos, staggered when scheduled", async () => {
    await connect("youtube");
    await connect("instagram");
    const owner = callerFor(h.db, f.owner);
    const post = await owner.content.create({
      workspaceId: f.ws.id,
      type: "blog",
      title: "How we brew",
      body: "## Steps\n\nBoil **water**, then wait.",
      blog: { tags: ["tea", "brewing"] },
    });
    const at = new Date(Date.now() + 2 * 86_400_000);
    const result = await owner.content.postEverywhere({
      workspaceId: f.ws.id,
      id: post.id,
      platforms: ["youtube", "instagram"],
      mediaId: videoId,
      scheduledAt: at,
      staggerMinutes: 30,
      madeForKids: false,
    });
    const group = await itemsOfGroup(result.groupId);
    // The blog post itself is not a video: only the two new posts form the group.
    expect(group.map((r) => r.type).sort()).toEqual(["instagram", "youtube"]);
    const yt = group.find((r) => r.type === "youtube")!;
    const ig = group.find((r) => r.type === "instagram")!;
    expect(yt.status).toBe("scheduled");
    expect(yt.scheduledAt!.getTime()).toBe(at.getTime());
    expect(ig.scheduledAt!.getTime()).toBe(at.getTime() + 30 * 60_000);
    expect(yt.body).toBe("Steps\n\nBoil water, then wait.");
    expect((yt.metadata.youtube as { tags: string[] }).tags).toEqual(["tea", "brewing"]);
  });

  it("refuses as a whole: one platform not ready means no draft at all", async () => {
    const owner = callerFor(h.db, f.owner);
    const post = await owner.content.create({
      workspaceId: f.ws.id,
      type: "blog",
      title: "Unready",
      body: "x",
    });
    const before = await h.db
      .select({ id: content.id })
      .from(content)
      .where(eq(content.workspaceId, f.ws.id));
    // YouTube needs the made-for-kids answer before anything is scheduled.
    await expect(
      owner.content.postEverywhere({
        workspaceId: f.ws.id,
        id: post.id,
        platforms: ["instagram", "youtube"],
        mediaId: videoId,
        scheduledAt: new Date(Date.now() + 86_400_000),
      }),
    ).rejects.toThrow(/made for kids/i);
    // No video: nothing to post.
    await expect(
      owner.content.postEverywhere({ workspaceId: f.ws.id, id: post.id, platforms: ["instagram"] }),
    ).rejects.toThrow(/Pick the video/);
    const after = await h.db.select({ id: content.id }).from(content).where(eq(content.workspaceId, f.ws.id));
    expect(after.length).toBe(before.length);
  });

  it("another workspace can neither repurpose the item nor use the video", async () => {
    const owner = callerFor(h.db, f.owner);
    const source = await owner.content.create({
      workspaceId: f.ws.id,
      type: "tiktok",
      title: "Mine",
      tiktok: { mediaId: videoId },
    });
    const other = callerFor(h.db, f.otherOwner);
    await expect(
      other.content.postEverywhere({ workspaceId: f.other.id, id: source.id, platforms: ["youtube"] }),
    ).rejects.toThrow(/not found/i);
    const own = await other.content.create({
      workspaceId: f.other.id,
      type: "blog",
      title: "Theirs",
      body: "x",
    });
    await expect(
      other.content.postEverywhere({
        workspaceId: f.other.id,
        id: own.id,
        platforms: ["youtube"],
        mediaId: videoId,
      }),
    ).rejects.toThrow(/not in this workspace/);
    const viewer = callerFor(h.db, f.viewer);
    await expect(
      viewer.content.postEverywhere({ workspaceId: f.ws.id, id: source.id, platforms: ["youtube"] }),
    ).rejects.toThrow();
  });

  it("an edit keeps each platform's limits, as creating does", async () => {
    const owner = callerFor(h.db, f.owner);
    const short = await owner.content.create({ workspaceId: f.ws.id, type: "youtube", title: "Short" });
    await expect(
      owner.content.update({ workspaceId: f.ws.id, id: short.id, title: "A <b>bold</b> title" }),
    ).rejects.toThrow(/YouTube titles/);
    await expect(
      owner.content.update({ workspaceId: f.ws.id, id: short.id, title: "x".repeat(101) }),
    ).rejects.toThrow(/at most 100/);
    const reel = await owner.content.create({ workspaceId: f.ws.id, type: "instagram", title: "Reel" });
    await expect(
      owner.content.update({ workspaceId: f.ws.id, id: reel.id, body: `Caption ${HASHTAGS}` }),
    ).rejects.toThrow(/at most 30 hashtags/);
    const [kept] = await h.db.select().from(content).where(eq(content.id, reel.id));
    expect(kept!.body).toBe("");
  });
});

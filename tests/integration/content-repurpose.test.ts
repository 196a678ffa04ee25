import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { content, integrations, mediaAssets, workspaces } from "@/server/db/schema";
import { OFFLINE_NOTE } from "@/server/services/content/generate";
import { countHashtags } from "@/server/services/content/schemas";
import { type OpenAIStandIn, STAND_IN_API_KEY, startOpenAIStandIn } from "../fixtures/stand-ins/openai";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

// "Write per platform" only ever talks to the local stand-in, whatever the machine's environment
// says; the stand-in listens on 127.0.0.1, which a workspace's AI address reaches only with this.
vi.stubEnv("OPENAI_API_KEY", "");
vi.stubEnv("OPENAI_BASE_URL", "");
vi.stubEnv("OPENAI_MODEL", "");
vi.stubEnv("AI_ALLOW_PRIVATE", "true");
resetEnvCache();

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

let standIn: OpenAIStandIn;
afterAll(async () => {
  await standIn?.close();
});

beforeAll(async () => {
  standIn = await startOpenAIStandIn();
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
    // The library video with its address: the editors show `videoUrl` and keep the video on save.
    expect(yt.metadata.youtube).toMatchObject({
      mediaId: videoId,
      videoUrl: `/api/media/${videoId}/kettle.mp4`,
    });
    expect((yt.metadata.youtube as { tags: string[] }).tags.join(",").length).toBeLessThanOrEqual(500);
    const ig = group.find((r) => r.type === "instagram")!;
    expect(ig.body!.match(/#\w+/g)!.length).toBeLessThanOrEqual(30);
    expect(ig.body).toContain("Meet the kettle");
    expect(ig.metadata.instagram).toMatchObject({
      mediaId: videoId,
      videoUrl: `/api/media/${videoId}/kettle.mp4`,
    });

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
    // Asking for written words changes nothing: refused before any words are written.
    const calls = standIn.requests.length;
    await expect(
      other.content.postEverywhere({
        workspaceId: f.other.id,
        id: source.id,
        platforms: ["youtube"],
        words: "write",
      }),
    ).rejects.toThrow(/not found/i);
    expect(standIn.requests.length).toBe(calls);
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

/** A TikTok draft of the library video, the source of "Write per platform" below. */
async function tiktokSource(title: string, body: string) {
  return callerFor(h.db, f.owner).content.create({
    workspaceId: f.ws.id,
    type: "tiktok",
    title,
    body,
    tiktok: { mediaId: videoId },
  });
}

async function useStandIn(on: boolean) {
  await h.db
    .delete(integrations)
    .where(and(eq(integrations.workspaceId, f.ws.id), eq(integrations.provider, "openai")));
  const ai = { baseUrl: standIn.url, apiKey: STAND_IN_API_KEY, model: "gpt-4o-mini" };
  await h.db
    .update(workspaces)
    .set({ settings: on ? { ai } : {} })
    .where(eq(workspaces.id, f.ws.id));
  standIn.reset();
}

const systemPromptOf = (r: OpenAIStandIn["requests"][number]) =>
  ((r.body?.messages as { role: string; content: string }[]) ?? []).find((m) => m.role === "system")
    ?.content ?? "";

describe("post everywhere: write per platform", () => {
  it("without an AI endpoint, the offline writer writes each platform's words and the result says so", async () => {
    await useStandIn(false);
    const owner = callerFor(h.db, f.owner);
    const post = await owner.content.create({
      workspaceId: f.ws.id,
      type: "blog",
      title: "The <quiet> kettle",
      body: [
        "Meet the kettle that boils in 90 seconds. It pours without a drip. It is made from recycled steel, and it lasts for years. Every part can be replaced. It whistles softly when the water is ready. The handle stays cool, even at a full boil.",
        "We designed it in our workshop over two winters.",
      ].join("\n\n"),
      blog: { tags: ["kettle", "tea", "slow mornings", "design"] },
    });
    const result = await owner.content.postEverywhere({
      workspaceId: f.ws.id,
      id: post.id,
      platforms: ["tiktok", "youtube", "instagram"],
      mediaId: videoId,
      words: "write",
    });
    expect(result.words).toEqual({
      mode: "write",
      writtenOffline: ["tiktok", "youtube", "instagram"],
      notice:
        "The offline template writer wrote the words for TikTok, YouTube Shorts, and Instagram Reels, as no AI endpoint is connected. Read them through before publishing.",
    });
    expect(standIn.requests).toHaveLength(0);
    const group = await itemsOfGroup(result.groupId);
    expect(group).toHaveLength(3);
    for (const row of group) {
      expect(row.body).not.toMatch(/Drafted offline|template/i);
      expect(row.body).not.toContain(OFFLINE_NOTE);
      // The notice is the editor's to show: it lives in the metadata.
      expect(row.metadata).toMatchObject({
        ai_generated: true,
        generator: "offline-template",
        generator_note: OFFLINE_NOTE,
      });
    }
    const by = (type: string) => group.find((r) => r.type === type)!;
    // TikTok: a short lead, whole sentences, then hashtags.
    expect(by("tiktok").body).toMatch(
      /^Meet the kettle that boils in 90 seconds\. It pours without a drip\./,
    );
    expect(by("tiktok").body).not.toContain("workshop");
    expect(by("tiktok").body).toContain("#kettle #tea");
    // YouTube: the title without < >, a lead paragraph, three hashtags, the rest as tags.
    expect(by("youtube").title).toBe("The quiet kettle");
    expect(by("youtube").body).toMatch(/\n\n#kettle #tea #slowmornings$/);
    expect((by("youtube").metadata.youtube as { tags: string[] }).tags).toEqual([
      "kettle",
      "tea",
      "slowmornings",
      "design",
    ]);
    // Instagram: the opening sentence on a line of its own, the whole text, the hashtags.
    expect(by("instagram").body).toMatch(/^Meet the kettle that boils in 90 seconds\.\n\nIt pours/);
    expect(by("instagram").body).toContain("two winters.\n\n#kettle #tea #slowmornings #design");
  });

  it("with the AI endpoint, each platform gets the model's words, fitted to its limits", async () => {
    await useStandIn(true);
    const owner = callerFor(h.db, f.owner);
    // The stand-in writes about the "Product:" line it finds in the prompt: this post's words carry
    // one of over 5,000 characters with 40 hashtags and < >, so the "model" answers far over limits.
    const longLine = `Product: Moon Kettle &lt;new&gt; ${"boils fast and pours clean, ".repeat(180)}${HASHTAGS}`;
    const post = await owner.content.create({
      workspaceId: f.ws.id,
      type: "blog",
      title: "Our kettle",
      body: `${longLine}\n\nA second paragraph.`,
    });
    const result = await owner.content.postEverywhere({
      workspaceId: f.ws.id,
      id: post.id,
      platforms: ["tiktok", "youtube", "instagram"],
      mediaId: videoId,
      words: "write",
    });
    expect(result.words).toEqual({ mode: "write", writtenOffline: [], notice: null });
    // One call per platform, each with that platform's rules.
    const calls = standIn.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(calls).toHaveLength(3);
    for (const label of [
      "TikTok video caption",
      "YouTube Short title and description",
      "Instagram Reel caption",
    ]) {
      expect(calls.filter((r) => systemPromptOf(r).includes(label))).toHaveLength(1);
    }

    const group = await itemsOfGroup(result.groupId);
    const by = (type: string) => group.find((r) => r.type === type)!;
    for (const row of group) {
      // The stand-in's caption, cut at a word: (what looks like) markup goes from captions.
      expect(row.body).toMatch(/^Meet Moon Kettle +boils fast/);
      expect(row.metadata).toMatchObject({ ai_generated: true, generator: "openai", model: "gpt-4o-mini" });
      expect(row.metadata).not.toHaveProperty("generator_note");
    }
    const ig = by("instagram");
    expect(ig.body!.length).toBeLessThanOrEqual(2200);
    expect(countHashtags(ig.body!)).toBeLessThanOrEqual(30);
    expect(countHashtags(ig.body!)).toBeGreaterThan(0);
    const tt = by("tiktok");
    expect(tt.body!.length).toBeLessThanOrEqual(2200);
    const yt = by("youtube");
    expect(yt.title.length).toBeLessThanOrEqual(100);
    expect(yt.title).toMatch(/^Moon Kettle new boils fast/);
    expect(yt.body!.length).toBeLessThanOrEqual(5000);
    const tags = (yt.metadata.youtube as { tags: string[] }).tags;
    expect(tags.join(",").length).toBeLessThanOrEqual(500);
    expect(tags.every((t) => t.length <= 100)).toBe(true);
    expect(tags).toContain("standin");
  });

  it("a platform whose model call fails gets the offline writer's words, and the result names it", async () => {
    await useStandIn(true);
    const source = await tiktokSource(
      "Pour-over in a minute",
      "Pour-over coffee in one minute flat. No scale needed.\n\n#coffee #pourover",
    );
    standIn.setMode("refusal", 1); // the first call is refused; the other succeeds
    const result = await callerFor(h.db, f.owner).content.postEverywhere({
      workspaceId: f.ws.id,
      id: source.id,
      platforms: ["youtube", "instagram"],
      words: "write",
    });
    expect(result.created).toHaveLength(2);
    expect(result.words.writtenOffline).toHaveLength(1);
    expect(result.words.notice).toMatch(
      /^The offline template writer wrote the words for (YouTube Shorts|Instagram Reels), as the AI writer failed: The AI model declined/,
    );
    const group = await itemsOfGroup(result.groupId);
    const offline = group.find((r) => r.type === result.words.writtenOffline[0])!;
    const ai = group.find((r) => r.type !== "tiktok" && r.id !== offline.id)!;
    expect(offline.metadata).toMatchObject({ generator: "offline-template", generator_note: OFFLINE_NOTE });
    expect(offline.body).toContain("Pour-over coffee in one minute flat.");
    expect(offline.body).not.toContain(OFFLINE_NOTE);
    expect(ai.metadata).toMatchObject({ generator: "openai" });
    expect(ai.body).toMatch(/^Meet /);
  });

  it("the workspace's hourly allowance of AI runs holds: then refused, with no call and no draft", async () => {
    const ai = { baseUrl: standIn.url, apiKey: STAND_IN_API_KEY, model: "gpt-4o-mini" };
    await h.db.update(workspaces).set({ settings: { ai } }).where(eq(workspaces.id, f.other.id));
    const other = callerFor(h.db, f.otherOwner);
    const post = async (i: number) => {
      const source = await other.content.create({
        workspaceId: f.other.id,
        type: "tiktok",
        title: `Clip ${i}`,
        body: `Clip number ${i}.`,
        tiktok: { videoUrl: `https://cdn.example.com/clip-${i}.mp4` },
      });
      return other.content.postEverywhere({
        workspaceId: f.other.id,
        id: source.id,
        platforms: ["instagram"],
        words: "write",
      });
    };
    for (let i = 0; i < 20; i++) expect((await post(i)).words.writtenOffline).toEqual([]);
    standIn.reset();
    const before = await h.db
      .select({ id: content.id })
      .from(content)
      .where(eq(content.workspaceId, f.other.id));
    await expect(post(20)).rejects.toThrow(/"Write per platform" runs for this hour/);
    expect(standIn.requests).toHaveLength(0);
    const after = await h.db
      .select({ id: content.id })
      .from(content)
      .where(eq(content.workspaceId, f.other.id));
    expect(after.length).toBe(before.length + 1); // the source made for the attempt, no draft
  });

  it("a refusal comes before any words are written: no model call, no draft", async () => {
    await useStandIn(true);
    const source = await tiktokSource("Refused", "Words");
    const before = await h.db
      .select({ id: content.id })
      .from(content)
      .where(eq(content.workspaceId, f.ws.id));
    await expect(
      callerFor(h.db, f.owner).content.postEverywhere({
        workspaceId: f.ws.id,
        id: source.id,
        platforms: ["youtube"],
        scheduledAt: new Date(Date.now() + 86_400_000),
        words: "write",
      }),
    ).rejects.toThrow(/made for kids/i);
    expect(standIn.requests).toHaveLength(0);
    const after = await h.db.select({ id: content.id }).from(content).where(eq(content.workspaceId, f.ws.id));
    expect(after.length).toBe(before.length);
  });
});

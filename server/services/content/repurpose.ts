import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { content, mediaAssets } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { mediaUrl } from "../media-schemas";
import { type ContentRow, createContent, getContentOrThrow } from "./content";
import { OFFLINE_GENERATOR, OFFLINE_NOTE, TITLE_MAX } from "./generate/constants";
import { composeCaption, oneLine, truncateWords } from "./generate/draft";
import { preflightPublish } from "./publish";
import { writePlatformWords } from "./repurpose-captions";
import { type PostEverywhereInput, SHORT_VIDEO_LABEL, type ShortVideoPlatform } from "./repurpose-schemas";
import { type PlatformWords, sourceWords } from "./repurpose-words";
import {
  type CreateContentInput,
  createContentInput,
  INSTAGRAM_CAPTION_MAX,
  INSTAGRAM_HASHTAGS_MAX,
  TIKTOK_CAPTION_MAX,
  YOUTUBE_DESCRIPTION_MAX,
  YOUTUBE_TAGS_MAX_CHARS,
  YOUTUBE_TITLE_MAX,
} from "./schemas";

/*
 * "Post everywhere" (issue 20): one video becomes a linked draft per short-video platform, in a
 * group the content list and calendar show together. Each draft carries the source's words, or
 * words written for its platform (repurpose-captions.ts), always fitted to the platform's limits
 * (caption length, hashtags, title). Everything is checked before anything is written: a platform
 * that is not connected, or a video that is missing, is a 4xx and no draft.
 */

const SHORT_VIDEO_TYPES = new Set<string>(["tiktok", "youtube", "instagram"]);

/**
 * The group's video. A library video carries its library address too: the editors show and keep
 * `videoUrl` (a post saved with only a `mediaId` would show no video and lose it on the next save).
 */
type VideoRef = { mediaId: string | null; videoUrl: string };

type SourceItem = Awaited<ReturnType<typeof getContentOrThrow>>;

async function libraryVideo(db: Db, workspaceId: string, mediaId: string): Promise<VideoRef> {
  const [asset] = await db
    .select({ id: mediaAssets.id, kind: mediaAssets.kind, filename: mediaAssets.filename })
    .from(mediaAssets)
    .where(and(eq(mediaAssets.id, mediaId), eq(mediaAssets.workspaceId, workspaceId)));
  if (!asset)
    throw new ValidationError("That video is not in this workspace's media library", {
      mediaId: ["Not found"],
    });
  if (asset.kind !== "video") throw new ValidationError("Pick a video file", { mediaId: ["Not a video"] });
  return { mediaId: asset.id, videoUrl: mediaUrl(asset) };
}

/** The source item's own video, or a library video picked for a blog post or email. */
async function videoOf(db: Db, source: SourceItem, mediaId: string | undefined): Promise<VideoRef> {
  if (mediaId) return libraryVideo(db, source.workspaceId, mediaId);
  if (SHORT_VIDEO_TYPES.has(source.type)) {
    const fields = (source.metadata[source.type] ?? {}) as {
      mediaId?: string | null;
      videoUrl?: string | null;
    };
    if (fields.mediaId) return libraryVideo(db, source.workspaceId, fields.mediaId);
    if (fields.videoUrl) return { mediaId: null, videoUrl: fields.videoUrl };
  }
  throw new ValidationError("Pick the video to post: this item has none yet", { mediaId: ["Required"] });
}

/** YouTube's tags: whole, each within 100 characters, at most 60 and 500 characters in all. */
function youtubeTags(hashtags: string[]) {
  const tags: string[] = [];
  for (const raw of hashtags) {
    const t = oneLine(raw.replace(/^#+/, ""));
    if (!t || t.length > 100 || tags.some((x) => x.toLowerCase() === t.toLowerCase())) continue;
    if ([...tags, t].join(",").length > YOUTUBE_TAGS_MAX_CHARS) continue;
    tags.push(t);
    if (tags.length === 60) break;
  }
  return tags;
}

/**
 * One platform's draft from its words — the source's, or those written for the platform — within
 * the platform's limits (caption length, hashtags, title), whatever the words were.
 */
export function fitToPlatform(
  platform: ShortVideoPlatform,
  words: PlatformWords,
  video: VideoRef,
  opts: { visibility: "public" | "private"; madeForKids?: boolean; fallbackTitle: string },
): CreateContentInput {
  const { text, hashtags } = words;
  const title = truncateWords(oneLine(words.title), TITLE_MAX) || opts.fallbackTitle;
  const base = { title, mediaUrls: [] as string[] };
  switch (platform) {
    case "tiktok":
      return createContentInput.parse({
        ...base,
        type: "tiktok",
        body: composeCaption(text, hashtags, TIKTOK_CAPTION_MAX),
        tiktok: { ...video, privacyLevel: opts.visibility === "public" ? "PUBLIC_TO_EVERYONE" : "SELF_ONLY" },
      });
    case "youtube":
      return createContentInput.parse({
        ...base,
        type: "youtube",
        title:
          truncateWords(oneLine(words.title).replace(/[<>]/g, ""), YOUTUBE_TITLE_MAX) || "Untitled Short",
        body: truncateWords(text, YOUTUBE_DESCRIPTION_MAX),
        youtube: {
          ...video,
          tags: youtubeTags(hashtags),
          privacyStatus: opts.visibility,
          madeForKids: opts.madeForKids ?? null,
        },
      });
    case "instagram":
      return createContentInput.parse({
        ...base,
        type: "instagram",
        body: composeCaption(text, hashtags, INSTAGRAM_CAPTION_MAX, INSTAGRAM_HASHTAGS_MAX),
        instagram: { ...video },
      });
  }
}

/** The items of a group, in platform order, with where each went live. */
export async function contentGroup(db: Db, workspaceId: string, groupId: string) {
  const rows = await db
    .select()
    .from(content)
    .where(and(eq(content.workspaceId, workspaceId), eq(content.groupId, groupId)))
    .orderBy(asc(content.createdAt));
  if (rows.length === 0) throw new NotFoundError("No such group of posts");
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    status: r.status,
    title: r.title,
    scheduledAt: r.scheduledAt,
    publishedAt: r.publishedAt,
    url: ((r.metadata.publish_result as { url?: string } | undefined)?.url ?? null) as string | null,
    // A failed publish stores { message, at, attempts }; a deferred one says why it waits.
    error: (r.metadata.error as { message?: string } | undefined)?.message ?? null,
    deferred: (r.metadata.deferred as { message?: string } | undefined)?.message ?? null,
  }));
}

/** What a written draft records about its writer: the editor says so, the caption never does. */
function writerMetadata(writer: string | undefined, model: string | null): Record<string, unknown> | null {
  if (!writer) return null;
  return writer === OFFLINE_GENERATOR
    ? { ai_generated: true, generator: OFFLINE_GENERATOR, generator_note: OFFLINE_NOTE }
    : { ai_generated: true, generator: writer, ...(model ? { model } : {}) };
}

/** Which platforms' words the offline template writer wrote, and why: for the person who asked. */
function offlineNotice(platforms: ShortVideoPlatform[], reason: string | null) {
  if (platforms.length === 0) return null;
  const list = new Intl.ListFormat("en", { type: "conjunction" }).format(
    platforms.map((p) => SHORT_VIDEO_LABEL[p]),
  );
  return `The offline template writer wrote the words for ${list}, as ${reason ?? "the AI writer failed"}. Read them through before publishing.`;
}

export async function postEverywhere(ctx: WorkspaceServiceContext, input: PostEverywhereInput) {
  const source = await getContentOrThrow(ctx.db, ctx.workspaceId, input.id);
  const video = await videoOf(ctx.db, source, input.mediaId);
  const groupId = source.groupId ?? randomUUID();
  const inGroup = source.groupId
    ? await ctx.db
        .select({ type: content.type })
        .from(content)
        .where(and(eq(content.workspaceId, ctx.workspaceId), eq(content.groupId, source.groupId)))
    : [];
  const have = new Set([...inGroup.map((r) => r.type), source.type]);
  const wanted = input.platforms.filter((p) => !have.has(p));
  if (wanted.length === 0) {
    throw new ValidationError("Each platform picked already has a post of this video", {
      platforms: ["Already there"],
    });
  }
  const at = input.scheduledAt;
  if (at && at.getTime() <= Date.now()) {
    throw new ValidationError("Pick a time in the future", { scheduledAt: ["Must be in the future"] });
  }
  const words = sourceWords(source);
  const opts = { visibility: input.visibility, madeForKids: input.madeForKids, fallbackTitle: source.title };
  const fitted = wanted.map((platform) => ({ platform, draft: fitToPlatform(platform, words, video, opts) }));
  // Everything checked first — before any words are written, so a refusal costs no AI call — and
  // a refusal for one platform creates none of them.
  if (at) {
    for (const d of fitted) {
      const metadata = { [d.platform]: (d.draft as Record<string, unknown>)[d.platform] };
      await preflightPublish(ctx.db, {
        id: "",
        workspaceId: ctx.workspaceId,
        type: d.platform,
        metadata,
        body: d.draft.body,
      });
    }
  }
  const written =
    input.words === "write"
      ? await writePlatformWords(
          ctx.db,
          ctx.workspaceId,
          { type: source.type, words, asWritten: words.asWritten },
          wanted,
        )
      : null;
  const drafts = fitted.map((d, i) => ({
    ...d,
    // Written words go through the same fitting: the limits hold whatever the model answered.
    draft: written ? fitToPlatform(d.platform, written.words.get(d.platform)!, video, opts) : d.draft,
    extra: writerMetadata(written?.writer.get(d.platform), written?.model ?? null),
    scheduledAt: at ? new Date(at.getTime() + i * input.staggerMinutes * 60_000) : undefined,
  }));
  const created = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx as unknown as Db };
    const rows: ContentRow[] = [];
    for (const d of drafts) {
      // Scheduled: createContent runs the platform's preflight again, on the words it saves.
      const row = await createContent(txCtx, { ...d.draft, scheduledAt: d.scheduledAt });
      if (d.extra) {
        await tx
          .update(content)
          .set({ metadata: sql`${content.metadata} || ${JSON.stringify(d.extra)}::jsonb` })
          .where(and(eq(content.id, row.id), eq(content.workspaceId, ctx.workspaceId)));
      }
      rows.push(row);
    }
    const ids = [...rows.map((r) => r.id), ...(SHORT_VIDEO_TYPES.has(source.type) ? [source.id] : [])];
    await tx
      .update(content)
      .set({ groupId })
      .where(and(eq(content.workspaceId, ctx.workspaceId), inArray(content.id, ids)));
    return rows;
  });
  const offline = wanted.filter((p) => written?.writer.get(p) === OFFLINE_GENERATOR);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "content.repurposed",
    { type: "content", id: source.id },
    {
      groupId,
      platforms: wanted,
      scheduledAt: at?.toISOString() ?? null,
      words: input.words,
      ...(written ? { writtenOffline: offline } : {}),
    },
  );
  return {
    groupId,
    created: created.map((r) => ({ id: r.id, type: r.type, status: r.status, scheduledAt: r.scheduledAt })),
    /** Whose words the drafts carry; with "write", which platforms the offline writer wrote, and why. */
    words: {
      mode: input.words,
      writtenOffline: offline,
      notice: offlineNotice(offline, written?.offlineReason ?? null),
    },
  };
}

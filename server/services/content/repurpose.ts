import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { renderMarkdown, toPlainText } from "@/lib/markdown";
import type { Db } from "@/server/db";
import { content, mediaAssets } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { type ContentRow, createContent, getContentOrThrow } from "./content";
import { composeCaption, truncateWords } from "./generate/draft";
import { preflightPublish } from "./publish";
import type { PostEverywhereInput, ShortVideoPlatform } from "./repurpose-schemas";
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
 * "Post everywhere" (issue 20): one video becomes a linked draft per short-video platform, each
 * with the source's words fitted to that platform's limits (caption length, hashtags, title), in a
 * group the content list and calendar show together. Everything is checked before anything is
 * written: a platform that is not connected, or a video that is missing, is a 4xx and no draft.
 */

const SHORT_VIDEO_TYPES = new Set<string>(["tiktok", "youtube", "instagram"]);
const HASHTAG = /(^|\s)#([\p{L}\p{N}_]+)/gu;

type VideoRef = { mediaId: string; videoUrl: null } | { mediaId: null; videoUrl: string };

/** The group's video: the source item's own, or a library video picked for a blog post or email. */
type SourceItem = Awaited<ReturnType<typeof getContentOrThrow>>;

async function videoOf(db: Db, source: SourceItem, mediaId: string | undefined): Promise<VideoRef> {
  if (mediaId) {
    const [asset] = await db
      .select({ id: mediaAssets.id, kind: mediaAssets.kind })
      .from(mediaAssets)
      .where(and(eq(mediaAssets.id, mediaId), eq(mediaAssets.workspaceId, source.workspaceId)));
    if (!asset)
      throw new ValidationError("That video is not in this workspace's media library", {
        mediaId: ["Not found"],
      });
    if (asset.kind !== "video") throw new ValidationError("Pick a video file", { mediaId: ["Not a video"] });
    return { mediaId: asset.id, videoUrl: null };
  }
  if (SHORT_VIDEO_TYPES.has(source.type)) {
    const fields = (source.metadata[source.type] ?? {}) as {
      mediaId?: string | null;
      videoUrl?: string | null;
    };
    if (fields.mediaId) return { mediaId: fields.mediaId, videoUrl: null };
    if (fields.videoUrl) return { mediaId: null, videoUrl: fields.videoUrl };
  }
  throw new ValidationError("Pick the video to post: this item has none yet", { mediaId: ["Required"] });
}

/** A blog post's or email's Markdown as caption text: blocks become paragraphs, markup goes. */
function markdownToPlain(markdown: string) {
  const html = renderMarkdown(markdown).replace(/<\/(p|h[1-6]|li|blockquote|pre|ul|ol)>/g, "$&\n");
  return toPlainText(html)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The source's words as plain text, and its hashtags (in the text, or a blog post's tags). */
function wordsOf(source: Pick<SourceItem, "title" | "body" | "type" | "metadata">) {
  const plain =
    source.type === "blog" || source.type === "email"
      ? markdownToPlain(source.body ?? "")
      : (source.body ?? "");
  const tags = [...plain.matchAll(HASHTAG)].map((m) => m[2]!);
  const blogTags =
    source.type === "blog" ? ((source.metadata.blog as { tags?: string[] } | undefined)?.tags ?? []) : [];
  const text = plain
    .replace(HASHTAG, "$1")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
  return { text, hashtags: [...new Set([...tags, ...blogTags.map((t) => t.replace(/\s+/g, ""))])] };
}

/** One platform's draft from the source's words, within the platform's limits. */
export function fitToPlatform(
  platform: ShortVideoPlatform,
  source: Pick<SourceItem, "title" | "body" | "type" | "metadata">,
  video: VideoRef,
  opts: { visibility: "public" | "private"; madeForKids?: boolean },
): CreateContentInput {
  const { text, hashtags } = wordsOf(source);
  const base = { title: truncateWords(source.title, 500), mediaUrls: [] as string[] };
  switch (platform) {
    case "tiktok":
      return createContentInput.parse({
        ...base,
        type: "tiktok",
        body: composeCaption(text, hashtags, TIKTOK_CAPTION_MAX),
        tiktok: { ...video, privacyLevel: opts.visibility === "public" ? "PUBLIC_TO_EVERYONE" : "SELF_ONLY" },
      });
    case "youtube": {
      const tags: string[] = [];
      for (const t of hashtags) {
        if ([...tags, t].join(",").length > YOUTUBE_TAGS_MAX_CHARS) break;
        tags.push(t);
      }
      return createContentInput.parse({
        ...base,
        type: "youtube",
        title: truncateWords(source.title.replace(/[<>]/g, ""), YOUTUBE_TITLE_MAX) || "Untitled Short",
        body: truncateWords(text, YOUTUBE_DESCRIPTION_MAX),
        youtube: { ...video, tags, privacyStatus: opts.visibility, madeForKids: opts.madeForKids ?? null },
      });
    }
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
  const drafts = wanted.map((platform, i) => ({
    platform,
    draft: fitToPlatform(platform, source, video, {
      visibility: input.visibility,
      madeForKids: input.madeForKids,
    }),
    scheduledAt: at ? new Date(at.getTime() + i * input.staggerMinutes * 60_000) : undefined,
  }));
  // Everything checked first: a refusal for one platform creates none of them.
  if (at) {
    for (const d of drafts) {
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
  const created = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx as unknown as Db };
    const rows: ContentRow[] = [];
    for (const d of drafts) rows.push(await createContent(txCtx, { ...d.draft, scheduledAt: d.scheduledAt }));
    const ids = [...rows.map((r) => r.id), ...(SHORT_VIDEO_TYPES.has(source.type) ? [source.id] : [])];
    await tx
      .update(content)
      .set({ groupId })
      .where(and(eq(content.workspaceId, ctx.workspaceId), inArray(content.id, ids)));
    return rows;
  });
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
    },
  );
  return {
    groupId,
    created: created.map((r) => ({ id: r.id, type: r.type, status: r.status, scheduledAt: r.scheduledAt })),
  };
}

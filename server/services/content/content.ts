import "server-only";
import { and, asc, count, eq, gte, ilike, isNotNull, lt, or, type SQL, sql } from "drizzle-orm";
import { sanitizeMarkdown, toPlainText } from "@/lib/markdown";
import type { Db } from "@/server/db";
import { CONTENT_TYPES, type ContentStatus, content, contentMetrics, users } from "@/server/db/schema";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "@/server/errors";
import { assertContentTypeOn } from "@/server/features";
import { record } from "../activity";
import { assertMayActDirectly } from "../approvals/policy";
import type { WorkspaceServiceContext } from "../context";
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetValueKind } from "../keyset";
import { getSegmentOrThrow } from "../segments/segments";
import { slugify } from "../workspaces/workspaces";
import { columns, shape } from "./columns";
import { listGroupedContent } from "./list-grouped";
import { preflightPublish } from "./publish";
import {
  type CreateContentInput,
  contentSlugSchema,
  countHashtags,
  INSTAGRAM_CAPTION_MAX,
  INSTAGRAM_HASHTAGS_MAX,
  type ListContentInput,
  TIKTOK_CAPTION_MAX,
  type UpdateContentInput,
  YOUTUBE_DESCRIPTION_MAX,
  YOUTUBE_TITLE_MAX,
} from "./schemas";

export type ContentRow = typeof content.$inferSelect;

function escapeLike(term: string) {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A page of content. tRPC pages by `offset`; REST passes `cursor` (the previous page's `nextCursor`),
 * a keyset position (sort value, id), so rows added while a client pages never shift or repeat a
 * page. Undated rows sort last in both directions; ties are broken by id in the same direction.
 */
export async function listContent(
  db: Db,
  workspaceId: string,
  input: Omit<ListContentInput, "grouped"> & { grouped?: boolean; cursor?: string },
) {
  const filters: SQL[] = [eq(content.workspaceId, workspaceId)];
  if (input.type) filters.push(eq(content.type, input.type));
  if (input.status) filters.push(eq(content.status, input.status));
  if (input.search) filters.push(ilike(content.title, `%${escapeLike(input.search)}%`));
  const where = and(...filters);
  const desc_ = input.direction !== "asc";
  const [key, cast, kind] = {
    createdAt: [sql`${content.createdAt}`, sql`timestamptz`, "timestamp"],
    updatedAt: [sql`${content.updatedAt}`, sql`timestamptz`, "timestamp"],
    scheduledAt: [sql`${content.scheduledAt}`, sql`timestamptz`, "timestamp"],
    publishedAt: [sql`${content.publishedAt}`, sql`timestamptz`, "timestamp"],
    title: [sql`${content.title}`, sql`text`, "text"],
    views: [sql`coalesce(${contentMetrics.views}, 0)`, sql`numeric`, "numeric"],
    revenue: [sql`coalesce(${contentMetrics.revenue}, 0)`, sql`numeric`, "numeric"],
  }[input.sort] as [SQL, SQL, KeysetValueKind];
  const pageWhere: (SQL | undefined)[] = [where];
  if (input.cursor) {
    const c = decodeKeysetCursor(input.cursor, kind);
    const op = desc_ ? sql`<` : sql`>`;
    pageWhere.push(
      c.v === null
        ? sql`(${key} is null and ${content.id} ${op} ${c.id}::uuid)`
        : sql`(${key} is null or (${key}, ${content.id}) ${op} (${c.v}::${cast}, ${c.id}::uuid))`,
    );
  }
  const dir = desc_ ? sql`desc` : sql`asc`;
  if (input.grouped && !input.cursor) return listGroupedContent(db, { ...input, where, key, dir });
  const [rows, [total]] = await Promise.all([
    db
      .select({ ...columns, sortKey: sql<string | null>`(${key})::text` })
      .from(content)
      .leftJoin(users, eq(users.id, content.createdBy))
      .leftJoin(contentMetrics, eq(contentMetrics.contentId, content.id))
      .where(and(...pageWhere))
      .orderBy(sql`${key} ${dir} nulls last`, sql`${content.id} ${dir}`)
      .limit(input.limit + 1)
      .offset(input.cursor ? 0 : input.offset),
    db.select({ n: count() }).from(content).where(where),
  ]);
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page.at(-1);
  return {
    content: page.map(({ sortKey: _, ...row }) => shape(row)),
    total: total?.n ?? 0,
    nextCursor: more && last ? encodeKeysetCursor({ v: last.sortKey, id: last.id }) : null,
  };
}

export async function getContentOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select(columns)
    .from(content)
    .leftJoin(users, eq(users.id, content.createdBy))
    .leftJoin(contentMetrics, eq(contentMetrics.contentId, content.id))
    .where(and(eq(content.id, id), eq(content.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Content not found");
  return shape(row);
}

/** Scheduled and published items whose time falls in [from, to), for the calendar. */
export async function listCalendar(db: Db, workspaceId: string, range: { from: Date; to: Date }) {
  const when = sql<Date>`coalesce(${content.publishedAt}, ${content.scheduledAt})`;
  return db
    .select({
      id: content.id,
      type: content.type,
      status: content.status,
      title: content.title,
      groupId: content.groupId,
      scheduledAt: content.scheduledAt,
      publishedAt: content.publishedAt,
    })
    .from(content)
    .where(
      and(
        eq(content.workspaceId, workspaceId),
        or(isNotNull(content.scheduledAt), isNotNull(content.publishedAt)),
        gte(when, range.from),
        lt(when, range.to),
      ),
    )
    .orderBy(asc(when))
    .limit(2000);
}

/** The plain-text bodies of short videos (caption or description) and their limits. */
const PLAIN_BODIES: Partial<Record<ContentRow["type"], { max: number; words: string }>> = {
  tiktok: { max: TIKTOK_CAPTION_MAX, words: "TikTok captions" },
  youtube: { max: YOUTUBE_DESCRIPTION_MAX, words: "YouTube descriptions" },
  instagram: { max: INSTAGRAM_CAPTION_MAX, words: "Instagram captions" },
};

/** Body as stored: captions and descriptions are plain text, blog and email bodies sanitized Markdown. */
function cleanBody(type: ContentRow["type"], body: string): string {
  const plain = PLAIN_BODIES[type];
  if (plain) {
    const text = toPlainText(body);
    if (type === "instagram" && countHashtags(text) > INSTAGRAM_HASHTAGS_MAX) {
      const msg = `Instagram allows at most ${INSTAGRAM_HASHTAGS_MAX} hashtags`;
      throw new ValidationError(msg, { body: [msg] });
    }
    if (text.length > plain.max) {
      throw new ValidationError(
        `${plain.words} are limited to ${plain.max.toLocaleString("en-US")} characters`,
        {
          body: ["Too long"],
        },
      );
    }
    return text;
  }
  return sanitizeMarkdown(body);
}

/** A YouTube title's own limits (the item title is the video's title); other types take any title. */
function checkedTitle(type: ContentRow["type"], title: string): string {
  if (type === "youtube" && (title.length > YOUTUBE_TITLE_MAX || /[<>]/.test(title))) {
    const msg = `YouTube titles are at most ${YOUTUBE_TITLE_MAX} characters, without < or >`;
    throw new ValidationError(msg, { title: [msg] });
  }
  return title;
}

/** A new item's metadata: its type's fields under the type's name. */
function fieldsOf(input: CreateContentInput): Record<string, unknown> {
  switch (input.type) {
    case "tiktok":
      return { tiktok: input.tiktok };
    case "youtube":
      return { youtube: input.youtube };
    case "instagram":
      return { instagram: input.instagram };
    case "blog":
      return { blog: input.blog };
    case "email":
      return { email: input.email };
  }
}

async function freeContentSlug(db: Db, workspaceId: string, base: string, exceptId?: string) {
  const root = base || "post";
  const taken = await db
    .select({ slug: content.slug, id: content.id })
    .from(content)
    .where(
      and(
        eq(content.workspaceId, workspaceId),
        or(eq(content.slug, root), ilike(content.slug, `${escapeLike(root)}-%`)),
      ),
    );
  const set = new Set(taken.filter((t) => t.id !== exceptId).map((t) => t.slug));
  if (!set.has(root)) return root;
  for (let i = 2; ; i++) if (!set.has(`${root}-${i}`)) return `${root}-${i}`;
}

export function blogSlugFromTitle(title: string) {
  const s = slugify(title)
    .replace(/^workspace-?/, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return contentSlugSchema.safeParse(s).success ? s : "post";
}

/** An email item's chosen segment must be one of this workspace's (another's is NOT_FOUND). */
async function checkChosenSegment(ctx: WorkspaceServiceContext, metadata: Record<string, unknown>) {
  const segmentId = (metadata.email as { segmentId?: unknown } | undefined)?.segmentId;
  if (typeof segmentId === "string") await getSegmentOrThrow(ctx.db, ctx.workspaceId, segmentId);
}

const slugConflict = () =>
  new ConflictError("Another post in this workspace already uses that slug", {
    slug: ["Already used by another post"],
  });

export async function createContent(ctx: WorkspaceServiceContext, input: CreateContentInput) {
  assertContentTypeOn(input.type);
  if (input.scheduledAt && input.scheduledAt.getTime() <= Date.now()) {
    throw new ValidationError("Pick a time in the future", { scheduledAt: ["Must be in the future"] });
  }
  const body = cleanBody(input.type, input.body);
  const metadata = fieldsOf(input);
  // Created already scheduled: the same checks as scheduling it (e.g. TikTok's privacy options).
  if (input.scheduledAt) {
    await assertMayActDirectly(ctx, "schedule content");
    await preflightPublish(ctx.db, {
      id: "",
      workspaceId: ctx.workspaceId,
      type: input.type,
      metadata,
      body,
    });
  } else await checkChosenSegment(ctx, metadata);
  const slug =
    input.type === "blog"
      ? (input.slug ?? (await freeContentSlug(ctx.db, ctx.workspaceId, blogSlugFromTitle(input.title))))
      : null;
  try {
    const [row] = await ctx.db
      .insert(content)
      .values({
        workspaceId: ctx.workspaceId,
        type: input.type,
        status: input.scheduledAt ? "scheduled" : "draft",
        title: input.title,
        slug,
        body,
        mediaUrls: input.mediaUrls,
        metadata,
        scheduledAt: input.scheduledAt ?? null,
        createdBy: ctx.actor.userId,
      })
      .returning();
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "content.created",
      { type: "content", id: row!.id },
      {
        type: row!.type,
        title: row!.title,
        status: row!.status,
      },
    );
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw slugConflict();
    throw err;
  }
}

/** Creates a draft with extra metadata (AI generation), bypassing nothing: same validation path. */
export async function createDraftWithMetadata(
  ctx: WorkspaceServiceContext,
  input: CreateContentInput,
  extra: Record<string, unknown>,
) {
  const row = await createContent(ctx, { ...input, scheduledAt: undefined });
  const [updated] = await ctx.db
    .update(content)
    .set({ metadata: sql`${content.metadata} || ${JSON.stringify(extra)}::jsonb` })
    .where(and(eq(content.id, row.id), eq(content.workspaceId, ctx.workspaceId)))
    .returning();
  return updated!;
}

const EDITABLE: ContentStatus[] = ["draft", "scheduled", "failed", "published"];

export async function updateContent(ctx: WorkspaceServiceContext, input: UpdateContentInput) {
  const current = await getContentOrThrow(ctx.db, ctx.workspaceId, input.id);
  if (!EDITABLE.includes(current.status)) {
    throw new ConflictError("This item is being published right now; edit it once that finishes");
  }
  const changes: Partial<typeof content.$inferInsert> = {};
  if (input.title !== undefined) changes.title = checkedTitle(current.type, input.title);
  if (input.body !== undefined) changes.body = cleanBody(current.type, input.body);
  if (input.mediaUrls !== undefined) changes.mediaUrls = input.mediaUrls;
  if (input.slug !== undefined) {
    if (current.type !== "blog")
      throw new ValidationError("Only blog posts have a slug", { slug: ["Not a blog post"] });
    changes.slug = input.slug;
  }
  const section = current.type;
  const fields = input[section];
  const otherSections = CONTENT_TYPES.filter((s) => s !== section && input[s] !== undefined);
  if (otherSections.length) {
    throw new ValidationError(`A ${section} item has no ${otherSections.join(", ")} fields`);
  }
  if (fields) {
    const merged = {
      ...((current.metadata[section] as Record<string, unknown> | undefined) ?? {}),
      ...fields,
    };
    changes.metadata = { ...current.metadata, [section]: merged };
    if (current.status === "scheduled") {
      await preflightPublish(ctx.db, { ...current, metadata: changes.metadata });
    } else await checkChosenSegment(ctx, changes.metadata);
  }
  if (Object.keys(changes).length === 0) throw new ValidationError("Nothing to update");
  try {
    const [row] = await ctx.db
      .update(content)
      .set(changes)
      .where(
        and(
          eq(content.id, input.id),
          eq(content.workspaceId, ctx.workspaceId),
          sql`${content.status} <> 'publishing'`,
        ),
      )
      .returning();
    if (!row) throw new ConflictError("This item is being published right now; edit it once that finishes");
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "content.updated",
      { type: "content", id: row.id },
      {
        fields: Object.keys(changes),
      },
    );
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw slugConflict();
    throw err;
  }
}

export async function deleteContent(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .delete(content)
    .where(
      and(
        eq(content.id, input.id),
        eq(content.workspaceId, ctx.workspaceId),
        sql`${content.status} <> 'publishing'`,
      ),
    )
    .returning({ id: content.id, title: content.title, type: content.type });
  if (!row) {
    await getContentOrThrow(ctx.db, ctx.workspaceId, input.id); // NOT_FOUND if it does not exist
    throw new ConflictError("This item is being published right now; delete it once that finishes");
  }
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "content.deleted",
    { type: "content", id: row.id },
    {
      title: row.title,
      type: row.type,
    },
  );
  return row;
}

export async function duplicateContent(ctx: WorkspaceServiceContext, input: { id: string }) {
  const src = await getContentOrThrow(ctx.db, ctx.workspaceId, input.id);
  const { publish_result: _r, error: _e, ...metadata } = src.metadata;
  const title = `Copy of ${src.title}`.slice(0, 500);
  const slug =
    src.type === "blog"
      ? await freeContentSlug(ctx.db, ctx.workspaceId, src.slug ?? blogSlugFromTitle(title))
      : null;
  const [row] = await ctx.db
    .insert(content)
    .values({
      workspaceId: ctx.workspaceId,
      type: src.type,
      status: "draft",
      title,
      slug,
      body: src.body,
      mediaUrls: src.mediaUrls,
      metadata: { ...metadata, duplicated_from: src.id },
      createdBy: ctx.actor.userId,
    })
    .returning();
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "content.duplicated",
    { type: "content", id: row!.id },
    {
      from: src.id,
    },
  );
  return row!;
}

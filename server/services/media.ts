import "server-only";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { and, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { executePrepared } from "@/server/db/prepared";
import { columnsOf, rowsOf, tableRowOf } from "@/server/db/raw-rows";
import { content, type MediaKind, mediaAssets } from "@/server/db/schema";
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from "@/server/errors";
import { getStorage, storageFor } from "@/server/storage";
import { record } from "./activity";
import type { WorkspaceServiceContext } from "./context";
import {
  isMediaMimeType,
  type ListMediaInput,
  listMediaInput,
  MEDIA_TYPES,
  type MediaIdInput,
  type MediaLimits,
  type MediaMimeType,
  mediaUrl,
} from "./media-schemas";

export * from "./media-schemas";

const MB = 1024 * 1024;

/** Effective upload limits (MEDIA_MAX_IMAGE_MB / MEDIA_MAX_VIDEO_MB, default 10 and 500). */
export function mediaLimits(): MediaLimits {
  const e = env();
  return {
    imageMaxBytes: Math.floor(e.MEDIA_MAX_IMAGE_MB * MB),
    videoMaxBytes: Math.floor(e.MEDIA_MAX_VIDEO_MB * MB),
  };
}

export function maxBytesFor(kind: MediaKind, limits = mediaLimits()): number {
  return kind === "image" ? limits.imageMaxBytes : limits.videoMaxBytes;
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / MB;
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** A refusal because of size (413). */
export class FileTooLargeError extends PayloadTooLargeError {
  constructor(message: string) {
    super(message, { file: [message] });
  }
}

export interface MediaAsset {
  id: string;
  kind: MediaKind;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  url: string;
  createdBy: string | null;
  createdAt: Date;
}

export type MediaRow = typeof mediaAssets.$inferSelect;

function toAsset(row: MediaRow): MediaAsset {
  return {
    id: row.id,
    kind: row.kind,
    filename: row.filename,
    mimeType: row.mimeType,
    sizeBytes: row.sizeBytes,
    width: row.width,
    height: row.height,
    url: mediaUrl(row),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

// ---- sniffing ----------------------------------------------------------------------------------

/** Bytes read before deciding what a file is: enough for the type and, usually, JPEG dimensions. */
const HEAD_BYTES = 64 * 1024;

/** Types file-type reports that we store under one of ours (browsers play them as such). */
const SNIFFED_ALIASES: Record<string, MediaMimeType> = {
  "image/apng": "image/png",
  "video/x-m4v": "video/mp4",
};

const ACCEPTED = "JPEG, PNG, GIF or WebP images, or MP4, QuickTime (MOV) or WebM videos";

function looksLikeMarkup(head: Buffer): boolean {
  const text = head
    .subarray(0, 1024)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  return text.startsWith("<") || /<(html|svg|script|body|iframe|!doctype)\b/.test(text);
}

function looksLikeText(head: Buffer): boolean {
  const sample = head.subarray(0, 1024);
  return (
    sample.length > 0 &&
    sample.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127) || b >= 128)
  );
}

/** What the bytes really are; the name and the browser's type are never trusted. */
async function sniff(head: Buffer): Promise<MediaMimeType> {
  const detected = await fileTypeFromBuffer(head);
  const mime = detected ? (SNIFFED_ALIASES[detected.mime] ?? detected.mime) : undefined;
  if (mime && isMediaMimeType(mime)) return mime;
  let reason: string;
  if (mime === "application/xml" || (!mime && looksLikeMarkup(head))) {
    reason = "its contents are HTML, SVG or XML markup, not an image or video";
  } else if (detected) {
    reason = `it is a ${detected.ext.toUpperCase()} file (${detected.mime})`;
  } else if (looksLikeText(head)) {
    reason = "its contents are text (such as a script), not an image or video";
  } else {
    reason = "its contents are not a recognised image or video format";
  }
  const message = `This file can't be uploaded: ${reason}. Upload ${ACCEPTED}.`;
  throw new ValidationError(message, { file: [message] });
}

/** Width and height from an image's first bytes, when they are there. */
export function imageDimensions(mime: MediaMimeType, b: Buffer): { width: number; height: number } | null {
  try {
    if (mime === "image/png" && b.length >= 24)
      return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
    if (mime === "image/gif" && b.length >= 10)
      return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
    if (mime === "image/webp" && b.length >= 30) {
      const chunk = b.toString("ascii", 12, 16);
      if (chunk === "VP8 ")
        return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
      if (chunk === "VP8L") {
        const bits = b.readUInt32LE(21);
        return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
      }
      if (chunk === "VP8X") return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
    }
    if (mime === "image/jpeg") {
      // Walk the segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG and DAC).
      let i = 2;
      while (i + 9 < b.length) {
        if (b[i] !== 0xff) return null;
        const marker = b[i + 1]!;
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
        }
        i += 2 + b.readUInt16BE(i + 2);
      }
    }
  } catch {
    // truncated header: no dimensions
  }
  return null;
}

/** A display name safe in a URL path and a Content-Disposition header, ending in the real type. */
export function safeFilename(name: string, mime: MediaMimeType): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
  const stem = (dot > 0 ? base.slice(0, dot) : base)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "")
    .slice(0, 120);
  const type = MEDIA_TYPES[mime];
  const finalExt = (type.aliases as readonly string[]).includes(ext) ? ext : type.ext;
  return `${stem || "file"}.${finalExt}`;
}

// ---- upload ------------------------------------------------------------------------------------

export type UploadSource = Buffer | Uint8Array | ReadableStream<Uint8Array> | Readable;

export interface SaveUploadInput {
  filename: string;
  /** The browser's claimed type: recorded, never trusted. */
  declaredType?: string | null;
  /** The bytes, whole or as a stream; a stream is size-checked as it flows. */
  body: UploadSource;
  /** Size announced by the client (File.size), to refuse early; enforcement never relies on it. */
  declaredSize?: number;
  /** When the caller needs one kind (a cover image picker), any other kind is refused. */
  expectKind?: MediaKind;
}

function sourceIterator(body: UploadSource): AsyncIterator<Buffer> {
  const readable =
    body instanceof Readable
      ? body
      : Buffer.isBuffer(body) || body instanceof Uint8Array
        ? Readable.from([Buffer.from(body)])
        : Readable.fromWeb(body as unknown as NodeWebReadableStream<Uint8Array>);
  return (async function* () {
    for await (const chunk of readable)
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
  })();
}

/** The head already read, then the rest of the source, failing as soon as `max` bytes are exceeded. */
function limitedStream(
  head: Buffer,
  rest: AsyncIterator<Buffer>,
  max: number,
  tooLarge: () => Error,
): Readable {
  return Readable.from(
    (async function* () {
      let total = head.length;
      if (total > max) throw tooLarge();
      yield head;
      for (;;) {
        const next = await rest.next();
        if (next.done) return;
        total += next.value.length;
        if (total > max) {
          await rest.return?.();
          throw tooLarge();
        }
        yield next.value;
      }
    })(),
    { objectMode: false },
  );
}

/**
 * Stores an uploaded file: sniffs its real type from the first bytes, enforces the size limit while
 * the bytes flow (a partial file is removed), stores it, inserts the row and records
 * `media.uploaded`. Refusals are ValidationErrors naming the reason; nothing is kept.
 */
export async function saveUpload(ctx: WorkspaceServiceContext, input: SaveUploadInput): Promise<MediaAsset> {
  const source = sourceIterator(input.body);
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < HEAD_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  const head = Buffer.concat(headChunks);

  let mime: MediaMimeType;
  try {
    if (head.length === 0) throw new ValidationError("The file is empty.", { file: ["The file is empty."] });
    mime = await sniff(head);
    const { kind, label } = MEDIA_TYPES[mime];
    if (input.expectKind && kind !== input.expectKind) {
      const message = `Choose ${input.expectKind === "image" ? "an image" : "a video"}: this file is a ${label} ${kind}.`;
      throw new ValidationError(message, { file: [message] });
    }
    const max = maxBytesFor(kind);
    const known = ended ? head.length : input.declaredSize;
    if (known !== undefined && known > max) {
      throw new FileTooLargeError(
        `This ${label} ${kind} is ${formatMegabytes(known)}; ${kind}s can be at most ${formatMegabytes(max)}.`,
      );
    }
  } catch (err) {
    if (!ended) await source.return?.(undefined);
    throw err;
  }

  const { kind, label } = MEDIA_TYPES[mime];
  const max = maxBytesFor(kind);
  const id = randomUUID();
  const filename = safeFilename(input.filename, mime);
  const storage = getStorage();
  const key = `${ctx.workspaceId}/${id}.${MEDIA_TYPES[mime].ext}`;
  const body = ended
    ? head
    : limitedStream(
        head,
        source,
        max,
        () =>
          new FileTooLargeError(
            `This ${label} ${kind} is larger than ${formatMegabytes(max)}, the most a ${kind} can be.`,
          ),
      );

  let size: number;
  try {
    ({ size } = await storage.put(key, body, mime));
  } catch (err) {
    // The adapters leave nothing behind on a failed put; this is for a store that half-wrote.
    await storage.delete(key).catch(() => {});
    throw err;
  }

  let row: MediaRow;
  try {
    const dims = kind === "image" ? imageDimensions(mime, head) : null;
    [row] = (await ctx.db
      .insert(mediaAssets)
      .values({
        id,
        workspaceId: ctx.workspaceId,
        kind,
        filename,
        mimeType: mime,
        sizeBytes: size,
        storage: storage.kind,
        storageKey: key,
        width: dims?.width ?? null,
        height: dims?.height ?? null,
        createdBy: ctx.actor.userId,
      })
      .returning()) as [MediaRow];
  } catch (err) {
    await storage.delete(key).catch(() => {});
    throw err;
  }

  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "media.uploaded",
    { type: "media", id },
    {
      filename,
      kind,
      mimeType: mime,
      sizeBytes: size,
      ...(input.declaredType && input.declaredType !== mime
        ? { declaredType: input.declaredType.slice(0, 100) }
        : {}),
    },
  );
  return toAsset(row);
}

// ---- usage, list, delete -----------------------------------------------------------------------

/**
 * Content rows that reference an asset: by URL in `media_urls`, `metadata.tiktok.videoUrl`,
 * `metadata.blog.coverImageUrl` or a Markdown body, or by id in `metadata.tiktok.mediaId`. Ids are
 * random UUIDs, so finding one in those texts is a reference and nothing else.
 */
function referencesMedia(idText: SQL, table: string): SQL {
  // Qualified by hand: in a one-table query Drizzle leaves column names bare, which inside a
  // correlated subquery would silently bind to the inner table.
  const col = (name: string) => sql`${sql.identifier(table)}.${sql.identifier(name)}`;
  return sql`(position(${idText} in ${col("media_urls")}::text) > 0
    or position(${idText} in ${col("metadata")}::text) > 0
    or position('/api/media/' || ${idText} in coalesce(${col("body")}, '')) > 0)`;
}

export interface MediaListItem extends MediaAsset {
  /** How many content rows in the workspace use this asset. */
  usageCount: number;
}

export async function listMedia(
  db: Db,
  workspaceId: string,
  input: ListMediaInput = {},
): Promise<{ items: MediaListItem[]; total: number }> {
  const p = listMediaInput.parse(input);
  const where = and(
    eq(mediaAssets.workspaceId, workspaceId),
    p.kind ? eq(mediaAssets.kind, p.kind) : undefined,
  );
  const asset = (name: string) => sql`${sql.identifier("media_assets")}.${sql.identifier(name)}`;
  const usageCount = sql<number>`(select count(*) from ${content} as ${sql.identifier("c")}
    where ${sql.identifier("c")}.${sql.identifier("workspace_id")} = ${asset("workspace_id")}
    and ${referencesMedia(sql`${asset("id")}::text`, "c")})`.mapWith(Number);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({ asset: mediaAssets, usageCount })
      .from(mediaAssets)
      .where(where)
      .orderBy(desc(mediaAssets.createdAt), desc(mediaAssets.id))
      .limit(p.limit)
      .offset(p.offset),
    db.select({ total: count() }).from(mediaAssets).where(where),
  ]);
  return {
    items: rows.map((r) => ({ ...toAsset(r.asset), usageCount: r.usageCount })),
    total: totalRow?.total ?? 0,
  };
}

export async function getMediaOrThrow(db: Db, p: { workspaceId: string; id: string }): Promise<MediaAsset> {
  const [row] = await db
    .select()
    .from(mediaAssets)
    .where(and(eq(mediaAssets.id, p.id), eq(mediaAssets.workspaceId, p.workspaceId)));
  if (!row) throw new NotFoundError("Media file not found");
  return toAsset(row);
}

/** Content in the workspace that uses the asset (a few titles, and how many in all). */
export async function findMediaUsage(db: Db, p: { workspaceId: string; id: string }) {
  const where = and(eq(content.workspaceId, p.workspaceId), referencesMedia(sql`${p.id}::text`, "content"));
  const [items, [totalRow]] = await Promise.all([
    db
      .select({ id: content.id, title: content.title, type: content.type })
      .from(content)
      .where(where)
      .orderBy(desc(content.updatedAt))
      .limit(3),
    db.select({ total: count() }).from(content).where(where),
  ]);
  return { items, total: totalRow?.total ?? 0 };
}

/**
 * Deletes an asset nothing uses: the row first (so no page links a missing file), then the bytes.
 * Refuses with CONFLICT naming the content that still uses it.
 */
export async function deleteMedia(
  ctx: WorkspaceServiceContext,
  input: MediaIdInput,
): Promise<{ id: string }> {
  const [row] = await ctx.db
    .select()
    .from(mediaAssets)
    .where(and(eq(mediaAssets.id, input.id), eq(mediaAssets.workspaceId, ctx.workspaceId)));
  if (!row) throw new NotFoundError("Media file not found");

  const usage = await findMediaUsage(ctx.db, { workspaceId: ctx.workspaceId, id: row.id });
  if (usage.total > 0) {
    const titles = usage.items.map((c) => `“${c.title}”`);
    const others = usage.total - titles.length;
    const list = others > 0 ? `${titles.join(", ")} and ${others} more` : titles.join(" and ");
    throw new ConflictError(
      `${row.filename} is used by ${list}. Remove it from there first, then delete it.`,
    );
  }

  await ctx.db
    .delete(mediaAssets)
    .where(and(eq(mediaAssets.id, row.id), eq(mediaAssets.workspaceId, ctx.workspaceId)));
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "media.deleted",
    { type: "media", id: row.id },
    {
      filename: row.filename,
      kind: row.kind,
      sizeBytes: row.sizeBytes,
    },
  );
  try {
    await storageFor(row.storage).delete(row.storageKey);
  } catch (err) {
    // The row is gone, so nothing links to the bytes; an orphan file is only wasted space.
    logger.warn({ err, storage: row.storage, key: row.storageKey }, "could not delete a media file");
  }
  return { id: row.id };
}

/**
 * The row behind a public media URL, from any workspace: the unguessable id is the capability (see
 * app/api/media/[id]/[filename]/route.ts). Null when there is none.
 */
export async function getMediaForServing(db: Db, id: string): Promise<MediaRow | null> {
  const [row] = rowsOf<Record<string, unknown>>(
    await executePrepared(db, sql`select ${columnsOf(mediaAssets)} from ${mediaAssets} where id = ${id}`),
  );
  return row ? tableRowOf(mediaAssets, row) : null;
}

/** One of the workspace's media rows, or null (raw SQL: every video publish reads its file's row). */
export async function getWorkspaceMedia(db: Db, workspaceId: string, id: string): Promise<MediaRow | null> {
  const [row] = rowsOf<Record<string, unknown>>(
    await executePrepared(
      db,
      sql`select ${columnsOf(mediaAssets)} from ${mediaAssets} where id = ${id} and workspace_id = ${workspaceId}`,
    ),
  );
  return row ? tableRowOf(mediaAssets, row) : null;
}

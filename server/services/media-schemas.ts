import { z } from "zod";
import type { MediaKind } from "@/server/db/schema/media";

/**
 * The file types the media library accepts, keyed by the MIME type sniffed from the file's first
 * bytes. Shared with the browser for its pre-check; the server's sniffing is what decides.
 */
export const MEDIA_TYPES = {
  "image/jpeg": { kind: "image", ext: "jpg", aliases: ["jpg", "jpeg"], label: "JPEG" },
  "image/png": { kind: "image", ext: "png", aliases: ["png"], label: "PNG" },
  "image/gif": { kind: "image", ext: "gif", aliases: ["gif"], label: "GIF" },
  "image/webp": { kind: "image", ext: "webp", aliases: ["webp"], label: "WebP" },
  "video/mp4": { kind: "video", ext: "mp4", aliases: ["mp4", "m4v"], label: "MP4" },
  "video/quicktime": { kind: "video", ext: "mov", aliases: ["mov", "qt"], label: "QuickTime" },
  "video/webm": { kind: "video", ext: "webm", aliases: ["webm"], label: "WebM" },
} as const satisfies Record<
  string,
  { kind: MediaKind; ext: string; aliases: readonly string[]; label: string }
>;

export type MediaMimeType = keyof typeof MEDIA_TYPES;

export function isMediaMimeType(v: string): v is MediaMimeType {
  return Object.hasOwn(MEDIA_TYPES, v);
}

/** MIME types of one kind, e.g. for an `<input accept>`. */
export function mimeTypesOf(kind?: MediaKind): MediaMimeType[] {
  return (Object.keys(MEDIA_TYPES) as MediaMimeType[]).filter((m) => !kind || MEDIA_TYPES[m].kind === kind);
}

export const DEFAULT_MAX_IMAGE_MB = 10;
export const DEFAULT_MAX_VIDEO_MB = 500;

export interface MediaLimits {
  imageMaxBytes: number;
  videoMaxBytes: number;
}

export const mediaKindSchema = z.enum(["image", "video"] satisfies MediaKind[]);

export const listMediaInput = z.object({
  kind: mediaKindSchema.optional(),
  limit: z.number().int().min(1).max(100).default(48),
  offset: z.number().int().min(0).default(0),
});
export type ListMediaInput = z.input<typeof listMediaInput>;

export const mediaIdInput = z.object({ id: z.uuid("Media id must be a UUID") });
export type MediaIdInput = z.infer<typeof mediaIdInput>;

/** The public address of an asset: unguessable by its id, readable by its filename. */
export function mediaUrl(asset: { id: string; filename: string }): string {
  return `/api/media/${asset.id}/${encodeURIComponent(asset.filename)}`;
}

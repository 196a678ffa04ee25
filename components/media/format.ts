import { isMediaMimeType, MEDIA_TYPES } from "@/server/services/media-schemas";

const units = ["B", "KB", "MB", "GB"] as const;

/** 1536 → "1.5 KB"; binary multiples, as the upload limits are. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits).replace(/\.0$/, "")} ${units[unit]}`;
}

/** "image/png" → "PNG". */
export function typeLabel(mimeType: string): string {
  return isMediaMimeType(mimeType) ? MEDIA_TYPES[mimeType].label : mimeType;
}

/** A file's type and size for its caption: "PNG · 1.5 KB". */
export function assetSummary(asset: { mimeType: string; sizeBytes: number }): string {
  return `${typeLabel(asset.mimeType)} · ${formatBytes(asset.sizeBytes)}`;
}

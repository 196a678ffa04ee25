import "server-only";
import { ValidationError } from "@/server/errors";

/**
 * A keyset page position: the last row's sort value (as Postgres text, so microsecond timestamps
 * survive; null when that row had no value) and its id. Rows inserted or deleted elsewhere in the
 * list never shift the next page, unlike an offset.
 */
export type KeysetCursor = { v: string | null; id: string };

export function encodeKeysetCursor(c: KeysetCursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the sort value must look like, so a forged cursor is a 400 and never a failed cast in SQL. */
const VALUE_SHAPES: Record<"timestamp" | "numeric" | "text", { test(v: string): boolean }> = {
  timestamp: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2}){0,2}|Z)?$/,
  numeric: /^-?\d{1,20}(\.\d{1,10})?$/,
  // No NUL (PostgreSQL text cannot hold it), at most 600 characters.
  text: { test: (v: string) => v.length <= 600 && !v.includes("\0") },
};
export type KeysetValueKind = keyof typeof VALUE_SHAPES;

export function decodeKeysetCursor(raw: string, kind: KeysetValueKind): KeysetCursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [v, id] = parsed as unknown[];
      if (
        (v === null ||
          (typeof v === "string" &&
            VALUE_SHAPES[kind].test(v) &&
            isWellFormed(v) &&
            (kind !== "timestamp" || isRealTime(v)))) &&
        typeof id === "string" &&
        UUID.test(id)
      )
        return { v, id };
    }
  } catch {
    // fall through
  }
  throw new ValidationError("That page link is no longer valid", { cursor: ["Invalid cursor"] });
}

/** A calendar date and clock time that exist (the shape check lets 2026-13-45 99:99 through). */
function isRealTime(v: string): boolean {
  const [y, mo, d, h, mi, sec] = v.match(/\d+/g)!.slice(0, 6).map(Number) as number[];
  const day = new Date(Date.UTC(y!, mo! - 1, d!));
  return (
    y! >= 1 &&
    day.getUTCFullYear() === y &&
    day.getUTCMonth() === mo! - 1 &&
    day.getUTCDate() === d &&
    h! < 24 &&
    mi! < 60 &&
    sec! < 60
  );
}

function isWellFormed(v: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v);
}

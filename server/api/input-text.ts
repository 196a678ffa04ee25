import "server-only";
/**
 * Text PostgreSQL cannot store: `text` and `jsonb` reject U+0000, and `jsonb` rejects unpaired
 * surrogates (JSON.stringify writes them as `\ud800` escapes). Both API edges (tRPC and REST) refuse
 * such input with a 400 before it reaches a query, instead of failing there with a 500.
 */
export const UNSTORABLE_TEXT_MESSAGE = "Text must be valid Unicode without NUL characters";

function bad(s: string) {
  return s.includes("\u0000") || !s.isWellFormed();
}

/** True when a string (or object key) anywhere in `v` cannot be stored. */
export function hasUnstorableText(v: unknown, depth = 0): boolean {
  if (typeof v === "string") return bad(v);
  if (v === null || typeof v !== "object" || depth > 20) return false;
  return Object.entries(v).some(([k, x]) => bad(k) || hasUnstorableText(x, depth + 1));
}

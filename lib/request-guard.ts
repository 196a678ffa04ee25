/**
 * Request targets no handler should see. Route params and query values are decoded before they
 * reach handlers and queries: a NUL makes PostgreSQL fail ("invalid byte sequence"), and
 * percent-encoding that is not UTF-8 (an encoded surrogate such as %ED%A0%80, an overlong %C0%80,
 * a bare %FF or %) makes Next.js's own decoding throw. Either way the answer was a 500.
 */

/**
 * Text a query can take: no NUL (PostgreSQL's text refuses it) and no unpaired surrogate. Services
 * that look rows up by a public path segment (a slug, a token) check it and answer "not found".
 */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && s.isWellFormed();
}

function unusable(encoded: string, plusIsSpace: boolean): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(plusIsSpace ? encoded.replace(/\+/g, " ") : encoded);
  } catch {
    return true;
  }
  // decodeURIComponent refuses encoded surrogates; a raw one cannot survive URL parsing either.
  return !isStorableText(decoded);
}

/**
 * True when the path (as sent, still percent-encoded) or a query name or value does not decode to
 * well-formed text without NUL. Such a request is refused with 400 before routing.
 */
export function isMalformedTarget(pathname: string, search = ""): boolean {
  if (pathname.split("/").some((segment) => unusable(segment, false))) return true;
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (!query) return false;
  return query.split("&").some((pair) => pair.split("=").some((part) => unusable(part, true)));
}

export const MALFORMED_TARGET_MESSAGE =
  "The address contains characters that cannot be used (a NUL byte or broken percent-encoding).";

/** The 403 for a cross-site state change riding on the visitor's cookies (CSRF): plain JSON. */
export function crossSiteRefusedResponse(): Response {
  return Response.json(
    { error: { code: "FORBIDDEN", message: "Cross-site request refused" } },
    { status: 403 },
  );
}

/** The 400 for a malformed target: plain JSON, nothing routed. */
export function malformedTargetResponse(): Response {
  return Response.json(
    { error: { code: "BAD_REQUEST", message: MALFORMED_TARGET_MESSAGE } },
    { status: 400 },
  );
}

/** Request header the proxy sets to the path and query asked for (never taken from the client). */
export const REQUEST_PATH_HEADER = "x-organic-path";

import "server-only";
/**
 * The REST API's route registry: every `/api/v1` operation is one entry of `restRoutes`, and both
 * the HTTP dispatcher (app/api/v1/[...path]/route.ts → handler.ts) and the OpenAPI document
 * (openapi.ts, served at GET /api/v1/openapi.json) are generated from it — a route cannot exist
 * without being documented, nor be documented without existing.
 *
 * Shape of an entry (`RestRoute`, define.ts) — stable, other code enumerates it:
 *   operationId  "leads.list" — unique, also the OpenAPI operationId
 *   method       "GET" | "POST" | "PATCH" | "DELETE"
 *   path         below /api/v1, with {placeholders}: "/leads/{id}"
 *   scope        "read" | "write" — the API-key scope required (write for every change)
 *   tag, summary, description?      docs
 *   params?      Zod object of the path placeholders
 *   query?       Zod object of the query string (strings coerced to its numbers/booleans/arrays)
 *   body?        Zod schema of the JSON body — the service's own schema (server/services/…/schemas.ts)
 *   bodyType?    "csv" for a raw text/csv body (POST /leads/import)
 *   status       success status: 200 | 201 | 202 | 204
 *   response?    Zod schema of the success body
 *   example?     example JSON body for the docs' curl line
 *   handler      (ctx: RestContext, { params, query, body, raw }) => result — calls services only
 *
 * Every route needs `Authorization: Bearer <key>` of the workspace it acts on; the only
 * unauthenticated path, GET /api/v1/openapi.json, is not a route of this list.
 * `restPathToUrl` turns a path and params into a URL path for callers (tests, docs).
 */
import type { RestRoute } from "./define";
import { campaignRoutes } from "./routes/campaigns";
import { contentRoutes } from "./routes/content";
import { leadRoutes } from "./routes/leads";
import { orderRoutes } from "./routes/orders";
import { otherRoutes } from "./routes/other";
import { suppressionRoutes } from "./routes/suppressions";

export type { RestContext, RestMethod, RestRoute } from "./define";

export const REST_BASE_PATH = "/api/v1";

export const restRoutes: readonly RestRoute[] = [
  ...leadRoutes,
  ...contentRoutes,
  ...campaignRoutes,
  ...orderRoutes,
  ...otherRoutes,
  ...suppressionRoutes,
];

/** A path segment, percent-encoded; a lone surrogate (not valid UTF-16) becomes U+FFFD, as in UTF-8. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(Buffer.from(value, "utf8").toString("utf8"));
  }
}

/** `/leads/{id}` + `{ id }` → `/api/v1/leads/<id>`. */
export function restPathToUrl(path: string, params: Record<string, string> = {}): string {
  return `${REST_BASE_PATH}${path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(params[name] ?? ""))}`;
}

export interface RouteMatch {
  route: RestRoute;
  params: Record<string, string>;
}

const compiled = restRoutes.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  regex: new RegExp(`^${route.path.replace(/\{\w+\}/g, "([^/]+)")}/?$`),
}));

/**
 * The route for a method and a path below /api/v1. Literal segments win over placeholders
 * (`/leads/import` is not `/leads/{id}`): routes with fewer placeholders are tried first.
 */
export function matchRestRoute(
  method: string,
  path: string,
): { match: RouteMatch | null; allowed: string[] } {
  const candidates = compiled
    .map((c) => ({ c, m: c.regex.exec(path) }))
    .filter((x) => x.m)
    .sort((a, b) => a.c.names.length - b.c.names.length);
  const allowed = [...new Set(candidates.map((x) => x.c.route.method))];
  const hit = candidates.find((x) => x.c.route.method === method);
  if (!hit) return { match: null, allowed };
  const params: Record<string, string> = {};
  hit.c.names.forEach((name, i) => {
    try {
      params[name] = decodeURIComponent(hit.m![i + 1]!);
    } catch {
      params[name] = hit.m![i + 1]!;
    }
  });
  return { match: { route: hit.c.route, params }, allowed };
}

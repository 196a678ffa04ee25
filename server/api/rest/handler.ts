import "server-only";
import { env } from "@/lib/env";
import { featureOffMessage } from "@/lib/features";
import { consume, httpIpRule, RateLimitExceededError, rateLimitHeaders } from "@/lib/ratelimit";
import { isMalformedTarget, MALFORMED_TARGET_MESSAGE } from "@/lib/request-guard";
import { type Db, getDb } from "@/server/db";
import { switchedOffPart } from "@/server/features";
import { clientIp } from "@/server/request-info";
import { readBodyUpTo } from "@/server/upload-body";
import { hasUnstorableText, UNSTORABLE_TEXT_MESSAGE } from "../input-text";
import { type ApiKeyPrincipal, authenticateApiKey, type Problem, recordApiKeyUse } from "./auth";
import { corsHeaders, preflightResponse } from "./cors";
import { isReply, type RestContext, type RestRoute } from "./define";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  hashingStream,
  IDEMPOTENCY_KEY_MAX,
  releaseIdempotencyKey,
  requestHash,
  sha256Of,
} from "./idempotency";
import { openApiJson } from "./openapi";
import {
  errorToProblem,
  type FieldError,
  parseWithDates,
  problem,
  validationProblem,
  zodFieldErrors,
} from "./problems";
import { coerceQuery } from "./query";
import { matchRestRoute, REST_BASE_PATH } from "./registry";

/** A JSON body larger than this is refused (413); CSV imports have their own, larger cap. */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;

export const REST_RATE_LIMIT_NAME = "rest-api";

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  if (status === 204 || body === undefined || body === null) {
    return new Response(null, { status: status === 200 ? 204 : status, headers });
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

function problemOut(p: Problem, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: {
      "content-type": "application/problem+json",
      ...(p.status === 401 ? { "www-authenticate": 'Bearer realm="organic"' } : {}),
      ...headers,
    },
  });
}

/** The app's own URL: APP_URL when set, else what the request was sent to. */
function baseUrlOf(url: URL): string {
  // An empty APP_URL (compose passes every variable, set or not) means unset, as in lib/env.ts.
  return (env().APP_URL || url.origin).replace(/\/$/, "");
}

class BodyProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** Reads at most `max` bytes of the body; more → 413 without reading the rest. */
async function readBody(request: Request, max: number): Promise<Uint8Array | null> {
  if (!request.body) return null;
  const body = await readBodyUpTo(request, max);
  if (body === "too-large")
    throw new BodyProblem(
      problem(413, "payload_too_large", "Payload too large", `The body must be at most ${max} bytes.`),
    );
  return body.length === 0 ? null : body;
}

function mediaType(request: Request) {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

async function readInput(route: RestRoute, request: Request) {
  if (route.bodyType === "csv") {
    const type = mediaType(request);
    if (type !== "text/csv" && type !== "application/csv" && type !== "text/plain") {
      throw new BodyProblem(
        problem(
          415,
          "unsupported_media_type",
          "Unsupported media type",
          "Send the file with `Content-Type: text/csv`.",
        ),
      );
    }
    return { bytes: null, raw: undefined as unknown, streamed: true };
  }
  if (!route.body) return { bytes: null, raw: undefined as unknown, streamed: false };
  const bytes = await readBody(request, JSON_BODY_MAX_BYTES);
  if (!bytes) return { bytes, raw: undefined as unknown, streamed: false };
  const type = mediaType(request);
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new BodyProblem(
      problem(
        415,
        "unsupported_media_type",
        "Unsupported media type",
        "Send the body as JSON with `Content-Type: application/json`.",
      ),
    );
  }
  try {
    return { bytes, raw: JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown, streamed: false };
  } catch {
    throw new BodyProblem(validationProblem([{ path: "", message: "The body is not valid JSON" }]));
  }
}

function parseParts(
  route: RestRoute,
  params: Record<string, string>,
  url: URL,
  raw: unknown,
): { ok: true; params: unknown; query: unknown; body: unknown } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  // NUL and unpaired surrogates: PostgreSQL would refuse them with a 500 further down.
  if ([params, Object.fromEntries(url.searchParams), raw].some((v) => hasUnstorableText(v))) {
    return { ok: false, errors: [{ path: "", message: UNSTORABLE_TEXT_MESSAGE }] };
  }
  let p: unknown;
  let q: unknown;
  let b: unknown = raw;
  if (route.params) {
    const r = route.params.safeParse(params);
    if (r.success) p = r.data;
    else errors.push(...zodFieldErrors(r.error, "path"));
  }
  if (route.query) {
    const r = parseWithDates(route.query, coerceQuery(route.query, url.searchParams));
    if (r.success) q = r.data;
    else errors.push(...zodFieldErrors(r.error, "query"));
  }
  if (route.body) {
    const r = parseWithDates(route.body, raw);
    if (r.success) b = r.data;
    else errors.push(...zodFieldErrors(r.error));
  }
  return errors.length ? { ok: false, errors } : { ok: true, params: p, query: q, body: b };
}

function entityOf(route: RestRoute, params: Record<string, string>, result: unknown) {
  const type = route.operationId.split(".")[0]!;
  const r = (isReply(result) ? result.body : result) as { id?: unknown; jobId?: unknown } | null;
  const id = typeof r?.id === "string" ? r.id : typeof r?.jobId === "string" ? r.jobId : (params.id ?? null);
  return { type, id };
}

/** Spends one point of the general per-IP limit: null while points remain, else the 429 to send. */
async function ipLimitProblem(request: Request) {
  try {
    await consume(httpIpRule(), clientIp(request.headers) ?? "unknown");
    return null;
  } catch (err) {
    if (!(err instanceof RateLimitExceededError)) throw err;
    const headers = Object.fromEntries(
      Object.entries(rateLimitHeaders(err)).map(([k, v]) => [k.toLowerCase(), v]),
    );
    return {
      problem: problem(
        429,
        "rate_limited",
        "Too many requests",
        `Too many requests from your network. Try again in ${err.retryAfterSeconds} s.`,
      ),
      headers,
    };
  }
}

/**
 * Answers one /api/v1 request: CORS, route, API key and scope, rate limit, input validation,
 * Idempotency-Key, the handler (services only), and errors as problem+json. Cookies are never read.
 */
export async function handleRestRequest(request: Request, opts: { db?: Db } = {}): Promise<Response> {
  try {
    return await dispatch(request, opts);
  } catch (err) {
    // Outside a handler (database down during the key check, …): still a problem, never a stack.
    const { problem: p, headers } = errorToProblem(err);
    return problemOut(p, { ...corsHeaders(request), ...headers });
  }
}

async function dispatch(request: Request, opts: { db?: Db }): Promise<Response> {
  const url = new URL(request.url);
  // proxy.ts does not run for /api/v1 (lib/security-headers.ts: PROXY_FREE_PATHS): its first check is here.
  if (isMalformedTarget(url.pathname, url.search)) {
    return problemOut(
      problem(400, "malformed_target", "Malformed address", MALFORMED_TARGET_MESSAGE),
      corsHeaders(request),
    );
  }
  const path = url.pathname.startsWith(REST_BASE_PATH)
    ? url.pathname.slice(REST_BASE_PATH.length) || "/"
    : url.pathname;
  const method = request.method.toUpperCase();
  const cors = corsHeaders(request);

  if (method === "OPTIONS") return preflightResponse(request);
  if (path === "/openapi.json" || path === "/openapi.json/") {
    if (method !== "GET" && method !== "HEAD") {
      return problemOut(problem(405, "method_not_allowed", "Method not allowed", "Use GET."), {
        ...cors,
        allow: "GET",
      });
    }
    const doc = openApiJson();
    const headers = {
      ...cors,
      "cache-control": "public, max-age=300",
      etag: doc.etag,
    };
    if (
      request.headers
        .get("if-none-match")
        ?.split(/\s*,\s*/)
        .includes(doc.etag)
    )
      return new Response(null, { status: 304, headers });
    return new Response(method === "HEAD" ? null : doc.body, {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", ...headers },
    });
  }

  const { match, allowed } = matchRestRoute(method, path);
  if (!match) {
    if (allowed.length) {
      return problemOut(
        problem(
          405,
          "method_not_allowed",
          "Method not allowed",
          `${method} is not allowed here; use ${allowed.join(", ")}.`,
        ),
        { ...cors, allow: allowed.join(", ") },
      );
    }
    return problemOut(
      problem(
        404,
        "route_not_found",
        "Not found",
        `No API route ${method} ${path}; see ${REST_BASE_PATH}/openapi.json.`,
      ),
      cors,
    );
  }
  const { route, params } = match;
  const off = switchedOffPart("rest", route.path);
  if (off) return problemOut(problem(404, "feature_disabled", "Not found", featureOffMessage(off)), cors);
  // A streamed upload skips proxy.ts like the app's own upload routes, and spends the same per-IP
  // budget (HTTP_RATE_LIMIT_PER_MINUTE) before the key is even looked up.
  if (route.bodyType === "csv") {
    const limited = await ipLimitProblem(request);
    if (limited) return problemOut(limited.problem, { ...cors, ...limited.headers });
  }
  const db = opts.db ?? (await getDb());

  const auth = await authenticateApiKey(db, request, {
    requiredScope: route.scope,
    requiredRole: route.minRole ?? (route.scope === "write" ? "member" : "viewer"),
  });
  if (!auth.ok) return problemOut(auth.problem, cors);
  const principal: ApiKeyPrincipal = auth.principal;

  let limitHeaders: Record<string, string>;
  try {
    const points = env().API_RATE_LIMIT_PER_MINUTE;
    const res = await consume({ name: REST_RATE_LIMIT_NAME, points, durationSeconds: 60 }, principal.keyId);
    limitHeaders = {
      "x-ratelimit-limit": String(points),
      "x-ratelimit-remaining": String(Math.max(0, res.remainingPoints)),
      "x-ratelimit-reset": String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))),
    };
  } catch (err) {
    if (!(err instanceof RateLimitExceededError)) throw err;
    const headers = Object.fromEntries(
      Object.entries(rateLimitHeaders(err)).map(([k, v]) => [k.toLowerCase(), v]),
    );
    return problemOut(
      problem(
        429,
        "rate_limited",
        "Too many requests",
        `This key may make ${err.limit} requests a minute; retry in ${err.retryAfterSeconds} s.`,
      ),
      { ...cors, ...headers },
    );
  }
  const baseHeaders = { ...cors, ...limitHeaders };

  let input: Awaited<ReturnType<typeof readInput>>;
  try {
    input = await readInput(route, request);
  } catch (err) {
    if (err instanceof BodyProblem) return problemOut(err.problem, baseHeaders);
    throw err;
  }

  const ctx: RestContext = {
    db,
    principal,
    request,
    baseUrl: baseUrlOf(url),
    ws: {
      db,
      workspaceId: principal.workspaceId,
      actorRole: principal.role,
      actor: { userId: null, ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") },
    },
  };

  // A raw body (CSV) goes to storage as it arrives, hashed on the way; JSON bodies are small.
  let bodyDigest = sha256Of(input.bytes);
  let staged: { value: unknown; discard: () => Promise<void> } | null = null;
  if (input.streamed && route.stage) {
    const declared = Number(request.headers.get("content-length"));
    const hashed = request.body ? hashingStream(request.body) : null;
    try {
      staged = await route.stage(
        ctx,
        hashed?.stream ?? null,
        Number.isFinite(declared) && declared > 0 ? declared : undefined,
      );
    } catch (err) {
      const { problem: p, headers } = errorToProblem(err);
      return problemOut(p, { ...headers, ...baseHeaders });
    }
    if (hashed) bodyDigest = hashed.digest();
  }
  const discard = async () => {
    await staged?.discard().catch(() => {});
  };

  // Idempotency-Key: on POST only; claimed before validation so a retried bad request replays its 400.
  let claimId: string | null = null;
  const idemKey = method === "POST" ? request.headers.get("idempotency-key") : null;
  if (idemKey !== null) {
    if (idemKey.length === 0 || idemKey.length > IDEMPOTENCY_KEY_MAX || !/^[\x21-\x7e]+$/.test(idemKey)) {
      await discard();
      return problemOut(
        validationProblem([
          {
            path: "header.Idempotency-Key",
            message: `Use 1–${IDEMPOTENCY_KEY_MAX} visible ASCII characters`,
          },
        ]),
        baseHeaders,
      );
    }
    const claim = await claimIdempotencyKey(db, principal, idemKey, requestHash(method, url, bodyDigest));
    if (claim.kind !== "claimed") await discard();
    if (claim.kind === "replay") {
      const h = { ...claim.response.headers, ...baseHeaders, "idempotent-replayed": "true" };
      const body = claim.response.body;
      return claim.response.headers["content-type"]?.startsWith("application/problem+json")
        ? problemOut(body as Problem, h)
        : json(claim.response.status, body, h);
    }
    if (claim.kind === "mismatch") {
      return problemOut(
        problem(
          409,
          "idempotency_key_reused",
          "Idempotency key reused",
          "This Idempotency-Key was used with a different request in the last 24 hours; use a new key.",
        ),
        baseHeaders,
      );
    }
    if (claim.kind === "in_progress") {
      return problemOut(
        problem(
          409,
          "idempotency_request_in_progress",
          "Request in progress",
          "A request with this Idempotency-Key is still running; retry in a moment.",
        ),
        { ...baseHeaders, "retry-after": "1" },
      );
    }
    claimId = claim.id;
  }

  const finish = async (
    status: number,
    body: unknown,
    headers: Record<string, string>,
    isProblem: boolean,
  ) => {
    if (claimId) {
      if (status >= 500) await releaseIdempotencyKey(db, claimId);
      else {
        const stored: Record<string, string> = isProblem
          ? { "content-type": "application/problem+json" }
          : {};
        await completeIdempotencyKey(db, claimId, {
          status,
          body: body ?? null,
          headers: { ...headers, ...stored },
        });
      }
    }
    return isProblem
      ? problemOut(body as Problem, { ...headers, ...baseHeaders })
      : json(status, body, { ...headers, ...baseHeaders });
  };

  const parsed = parseParts(route, params, url, input.raw);
  if (!parsed.ok) {
    await discard();
    return finish(400, validationProblem(parsed.errors), {}, true);
  }

  let result: unknown;
  try {
    result = await route.handler(ctx, {
      params: parsed.params,
      query: parsed.query,
      body: input.streamed ? staged?.value : parsed.body,
      raw: input.raw,
    } as never);
  } catch (err) {
    await discard();
    const { problem: p, headers } = errorToProblem(err);
    return finish(p.status, p, headers, true);
  }
  if (route.scope === "write") {
    await recordApiKeyUse(db, principal, request, route.operationId, entityOf(route, params, result));
  }
  if (isReply(result)) return finish(result.status, result.body, result.headers ?? {}, false);
  return finish(route.status, route.status === 204 ? null : result, {}, false);
}

import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import { logger } from "@/lib/logger";
import { BlockedAddressError, guardedFetch, headersOf } from "@/server/http/guarded-fetch";

/**
 * The one HTTP path every provider client (TikTok, Gmail/Google, Amazon SP-API) goes through:
 * a timeout per attempt, bounded retries on 408/429/5xx and network errors honouring Retry-After,
 * Zod validation of what comes back, and typed errors that tell a temporary failure from a dead
 * token — so a 5xx never disconnects an account. Nothing secret is logged: only method, host and
 * path (never the query, headers or bodies), and provider messages are scrubbed of known secrets.
 *
 * Provider base URLs here come from the operator's environment and are trusted. A request to an
 * address a user or workspace chose passes `guarded`, which sends it through the SSRF guard
 * (server/http/guarded-fetch.ts) with the same retries and error types.
 */

export type IntegrationErrorKind = "temporary" | "auth" | "permanent" | "quota";

export interface IntegrationErrorInit {
  provider: string;
  /** HTTP status when there was a response. */
  status?: number;
  /** The provider's own error code (`access_token_invalid`, `invalid_grant`, `domainPolicy`…). */
  code?: string;
  /** When the provider said when to come back (Retry-After), or a sensible pause before trying again. */
  retryAfterMs?: number;
  cause?: unknown;
}

export abstract class IntegrationError extends Error {
  abstract readonly kind: IntegrationErrorKind;
  readonly provider: string;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, init: IntegrationErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.provider = init.provider;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Network error, timeout, 5xx, rate limit, malformed answer: try again later; the account stays connected. */
export class TemporaryError extends IntegrationError {
  readonly kind = "temporary" as const;
}

/** The token is dead (revoked, expired beyond refresh, wrong credentials): the user must reconnect. */
export class AuthError extends IntegrationError {
  readonly kind = "auth" as const;
}

/** The request itself is wrong or forbidden by policy; retrying the same request won't help. */
export class PermanentError extends IntegrationError {
  readonly kind = "permanent" as const;
}

/** A quota is used up (daily send limit, insufficient_quota): wait for it to reset, don't hammer. */
export class QuotaError extends IntegrationError {
  readonly kind = "quota" as const;
}

export const isIntegrationError = (e: unknown): e is IntegrationError => e instanceof IntegrationError;

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body was JSON, else the text (or null when empty). */
  body: unknown;
  text: string;
}

/**
 * An error a provider client throws: our IntegrationError kinds, or a client's own typed error
 * (OpenAIError) carrying the same fields the engine logs and waits on.
 */
export interface ClassifiedError extends Error {
  readonly kind: string;
  readonly code?: string | null;
  readonly retryAfterMs?: number;
}

/** What to do with a non-2xx answer (or a 2xx whose body says it failed, e.g. TikTok's envelope). */
export interface Classification<E extends ClassifiedError = IntegrationError> {
  error: E;
  /** Retry this request in place (after Retry-After or backoff) while attempts remain. */
  retry: boolean;
  /** Wait before the retry; defaults to the error's retryAfterMs, then exponential backoff. */
  retryAfterMs?: number;
}

export interface HttpRequest<T> {
  /** Names the provider in errors and logs ("tiktok", "gmail", "amazon"). */
  provider: string;
  method?: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  url: string | URL;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** JSON body (sets content-type application/json unless given). */
  json?: unknown;
  /** application/x-www-form-urlencoded body (OAuth token endpoints). */
  form?: Record<string, string | undefined>;
  /** Raw body (chunk uploads); give content-type in headers. */
  body?: Uint8Array | string;
  /** Validates a successful response body; a mismatch is a TemporaryError("malformed_response"). */
  schema?: z.ZodType<T>;
  /**
   * Provider rules for a response: return a classification to override the defaults, or
   * undefined to use them. Called for every response, so it can also flag a failed 2xx envelope.
   */
  classify?: (res: HttpResponse) => Classification<ClassifiedError> | undefined;
  /**
   * Provider rules for a request that got no answer (network error, timeout, blocked address, answer
   * too large): return a classification to override the defaults (TemporaryError, retried).
   */
  classifyTransport?: (err: unknown) => Classification<ClassifiedError> | undefined;
  /** Values that must never appear in an error message (tokens, keys); scrubbed if a provider echoes them. */
  secrets?: Array<string | undefined>;
  timeoutMs?: number;
  /** Extra attempts after a retryable failure. */
  retries?: number;
  /** Longest wait between attempts; a longer Retry-After ends the attempts and is reported on the error. */
  maxRetryWaitMs?: number;
  /** Wait at most maxRetryWaitMs and retry anyway, instead of ending the attempts on a longer Retry-After. */
  capRetryWait?: boolean;
  /** First backoff without a Retry-After (doubles per attempt); defaults to httpDefaults.backoffBaseMs. */
  backoffBaseMs?: number;
  /** Accept these non-2xx statuses as success (e.g. 206 is 2xx already; 308 for resumable uploads). */
  okStatuses?: number[];
  /**
   * The URL is not the operator's: check every address at connect time and bound the answer's size.
   * `allowPrivate` is for an operator switch (e.g. AI_ALLOW_PRIVATE) that lets private addresses through.
   */
  guarded?: boolean | { allowPrivate?: boolean; maxResponseBytes?: number };
}

/** Knobs shared by all clients; tests shrink the waits. */
export const httpDefaults = {
  timeoutMs: 15_000,
  retries: 2,
  backoffBaseMs: 500,
  backoffCeilingMs: 8_000,
  maxRetryWaitMs: 30_000,
};

/** Retry-After / retry-after-ms as milliseconds (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const raw = headers.get("retry-after")?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function backoffMs(attempt: number, baseMs = httpDefaults.backoffBaseMs): number {
  const base = Math.min(baseMs * 2 ** attempt, httpDefaults.backoffCeilingMs);
  // Full jitter on half the window so concurrent workers spread out.
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Replaces every known secret (and bearer tokens) in a message. */
export function scrub(message: string, secrets: Array<string | undefined> = []): string {
  let out = message;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  }
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=|-]+/g, "Bearer [redacted]");
}

/** A short, human message from common error bodies (OAuth flat, Google nested, TikTok, SP-API). */
export function providerMessage(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== "object") return {};
  const b = body as Record<string, unknown>;
  if (typeof b.error === "string") {
    return {
      code: b.error,
      message: typeof b.error_description === "string" ? b.error_description : b.error,
    };
  }
  if (b.error && typeof b.error === "object") {
    const e = b.error as Record<string, unknown>;
    const first = Array.isArray(e.errors) ? (e.errors[0] as Record<string, unknown> | undefined) : undefined;
    const code =
      (typeof first?.reason === "string" && first.reason) ||
      (typeof e.code === "string" && e.code) ||
      (typeof e.status === "string" && e.status) ||
      undefined;
    return { code, message: typeof e.message === "string" ? e.message : undefined };
  }
  if (Array.isArray(b.errors) && b.errors[0] && typeof b.errors[0] === "object") {
    const e = b.errors[0] as Record<string, unknown>;
    return {
      code: typeof e.code === "string" ? e.code : undefined,
      message: typeof e.message === "string" ? e.message : undefined,
    };
  }
  return {};
}

/** Default rules: 408/429/5xx temporary (retried), 401 dead token, other 4xx permanent. */
export function defaultClassification(provider: string, res: HttpResponse): Classification {
  const { code, message } = providerMessage(res.body);
  const text = message
    ? `${provider} answered ${res.status}: ${message}`
    : `${provider} answered ${res.status}`;
  const init = { provider, status: res.status, code, retryAfterMs: parseRetryAfter(res.headers) };
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return { error: new TemporaryError(text, init), retry: true };
  }
  if (res.status === 401) return { error: new AuthError(text, init), retry: false };
  return { error: new PermanentError(text, init), retry: false };
}

/** Default rules without an answer: a blocked address is permanent, anything else temporary (retried). */
function defaultTransportClassification(
  provider: string,
  err: unknown,
  secrets: Array<string | undefined>,
): Classification {
  if (err instanceof BlockedAddressError) {
    // Asking again reaches the same address: not a temporary failure.
    const error = new PermanentError(`${provider}: ${err.message}`, {
      provider,
      code: "blocked_address",
      cause: err,
    });
    return { error, retry: false };
  }
  const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
  const error = new TemporaryError(
    timedOut
      ? `${provider} did not answer in time`
      : `${provider} could not be reached (${scrub(err instanceof Error ? err.message : String(err), secrets)})`,
    { provider, code: timedOut ? "timeout" : "network" },
  );
  return { error, retry: true };
}

function buildUrl(url: string | URL, query: HttpRequest<unknown>["query"]): URL {
  const u = new URL(url);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) u.searchParams.set(k, String(v));
  }
  return u;
}

/** Sends the request and returns the validated body of a successful answer. */
export async function httpJson<T>(req: HttpRequest<T>): Promise<T> {
  const res = await httpRequest(req);
  if (!req.schema) return res.body as T;
  const parsed = req.schema.safeParse(res.body);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join(".") || "(root)";
    throw new TemporaryError(`${req.provider} sent an unexpected answer (at ${where})`, {
      provider: req.provider,
      status: res.status,
      code: "malformed_response",
    });
  }
  return parsed.data;
}

/**
 * The providers' own APIs (hosts this code names, not URLs a user typed): undici's `request` on one
 * keep-alive pool. The global fetch costs several times the CPU per call (its Request, Response,
 * Headers and web streams), which a publish of thousands of videos at once pays five or six times
 * a post. Redirects are not followed (a 3xx comes back as it is), like `redirect: "manual"`.
 * undici and the pool are loaded on first use: a process that never calls a provider (a worker that
 * only sends mail) does not hold them.
 */
let providerClient: Promise<{ request: typeof import("undici").request; pool: Dispatcher }> | undefined;

function providers() {
  providerClient ??= import("undici").then(({ Agent, request }) => ({
    request,
    pool: new Agent({ keepAliveTimeout: 10_000 }),
  }));
  return providerClient;
}

async function providerRequest(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  timeoutMs: number,
) {
  const { request, pool } = await providers();
  const res = await request(url, {
    method: method as Dispatcher.HttpMethod,
    headers,
    body,
    dispatcher: pool,
    // Rejects with a TimeoutError, as fetch did: the classification below reads its name.
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.statusCode, headers: headersOf(res.headers), text: () => res.body.text() };
}

/** Sends the request with retries; throws a typed IntegrationError for every failure. */
export async function httpRequest(req: HttpRequest<unknown>): Promise<HttpResponse> {
  const url = buildUrl(req.url, req.query);
  const method =
    req.method ?? (req.json !== undefined || req.form || req.body !== undefined ? "POST" : "GET");
  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  let body: string | Uint8Array | undefined;
  if (req.json !== undefined) {
    headers["content-type"] ??= "application/json; charset=UTF-8";
    body = JSON.stringify(req.json);
  } else if (req.form) {
    headers["content-type"] ??= "application/x-www-form-urlencoded";
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.set(k, v);
    body = form.toString();
  } else if (req.body !== undefined) {
    body = req.body;
  }
  const retries = Math.max(0, req.retries ?? httpDefaults.retries);
  const maxWait = req.maxRetryWaitMs ?? httpDefaults.maxRetryWaitMs;
  const where = `${method} ${url.origin}${url.pathname}`;
  const secrets = req.secrets ?? [];

  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    let res: HttpResponse;
    try {
      const timeoutMs = req.timeoutMs ?? httpDefaults.timeoutMs;
      const guard = req.guarded === true ? {} : req.guarded || null;
      const r = guard
        ? await guardedFetch(url, {
            method,
            headers,
            body,
            timeoutMs,
            allowPrivate: guard.allowPrivate,
            maxResponseBytes: guard.maxResponseBytes,
          })
        : await providerRequest(url, method, headers, body, timeoutMs);
      const text = await r.text();
      let parsed: unknown = null;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      res = { status: r.status, headers: r.headers, body: parsed, text };
    } catch (err) {
      const verdict =
        req.classifyTransport?.(err) ?? defaultTransportClassification(req.provider, err, secrets);
      const error = verdict.error;
      logger.warn({ provider: req.provider, where, attempt, code: error.code }, "integration request failed");
      if (verdict.retry && attempt < retries) {
        await sleep(verdict.retryAfterMs ?? backoffMs(attempt, req.backoffBaseMs));
        continue;
      }
      throw error;
    }

    const ok = (res.status >= 200 && res.status < 300) || (req.okStatuses ?? []).includes(res.status);
    const custom = req.classify?.(res);
    const verdict = custom ?? (ok ? undefined : defaultClassification(req.provider, res));
    logger.debug(
      { provider: req.provider, where, status: res.status, ms: Date.now() - started },
      "integration request",
    );
    if (!verdict) return res;

    const error = verdict.error;
    if (error.message) error.message = scrub(error.message, secrets);
    logger.warn(
      { provider: req.provider, where, status: res.status, code: error.code, kind: error.kind, attempt },
      "integration request failed",
    );
    if (verdict.retry && attempt < retries) {
      const wait = verdict.retryAfterMs ?? error.retryAfterMs ?? backoffMs(attempt, req.backoffBaseMs);
      // Waiting longer than the bound would hold a worker hostage; hand the wait to the caller instead.
      if (wait <= maxWait || req.capRetryWait) {
        await sleep(Math.min(wait, maxWait));
        continue;
      }
    }
    throw error;
  }
}

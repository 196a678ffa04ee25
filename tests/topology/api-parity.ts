/**
 * The same API requests sent to a web process answering on its fast path
 * (server/http/api-fast-path.ts) and to one sending them through Next (API_FAST_PATH=false), and
 * their answers side by side: status, headers and body, less what differs between any two answers
 * (the date, the request id, the rate-limit countdown, how the length is told).
 */
import zlib from "node:zlib";
import { rawRequest } from "../helpers/raw-http";

export interface ApiRequest {
  name: string;
  method: string;
  target: string;
  headers?: Record<string, string>;
  body?: string;
  /** Compare only the body's top-level keys (an answer with timings in it). */
  keysOnly?: boolean;
}

export interface Normalized {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Headers that differ between any two answers, or in how the body is framed. */
const VOLATILE = new Set([
  "date",
  "x-request-id",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
]);

/** One answer, less what differs between any two; the request id in a body becomes `<request-id>`. */
export async function normalizedAnswer(port: number, r: ApiRequest): Promise<Normalized> {
  const res = await rawRequest(
    port,
    r.method,
    r.target,
    { host: "organic.topology.test", ...r.headers },
    r.body,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (VOLATILE.has(name) || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join("\n") : value;
  }
  const bytes = res.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(res.body) : res.body;
  let text = bytes.toString("utf8");
  const requestId = res.headers["x-request-id"];
  if (typeof requestId === "string" && requestId) text = text.replaceAll(requestId, "<request-id>");
  let body: unknown = text;
  if (/json/.test(headers["content-type"] ?? "") && text) {
    body = JSON.parse(text);
    if (r.keysOnly) body = Object.keys(body as object).sort();
  }
  return { status: res.status, headers, body };
}

export interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

/** Every span in the OTLP/HTTP JSON posts a collector received. */
export function spansIn(posts: { path: string; body: string }[]): OtlpSpan[] {
  return posts
    .filter((p) => p.path === "/v1/traces")
    .flatMap((p) =>
      (JSON.parse(p.body).resourceSpans as { scopeSpans: { spans: OtlpSpan[] }[] }[]).flatMap((r) =>
        r.scopeSpans.flatMap((x) => x.spans),
      ),
    );
}

/** The span's ancestors, nearest first. */
export function ancestorsOf(span: OtlpSpan, spans: OtlpSpan[]): OtlpSpan[] {
  const byId = new Map(spans.map((x) => [x.spanId, x]));
  const chain: OtlpSpan[] = [];
  for (let p = span.parentSpanId ? byId.get(span.parentSpanId) : undefined; p; ) {
    chain.push(p);
    p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined;
  }
  return chain;
}

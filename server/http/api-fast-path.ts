import "server-only";
import http from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { guardPeerAddress } from "@/server/peer-address";

/*
 * The API fast path. The JSON APIs (/api/v1, tRPC, /api/health) are plain Request → Response
 * functions that need nothing from Next.js: no rendering, no proxy (they are PROXY_FREE_PATHS), no
 * request context. Yet a request routed through Next cost about eight times the CPU of the same
 * SQL answered by a bare Node server (issue 16): its router, its app-route wrapper and its
 * Web-stream response path. So the production server answers these requests itself, as the
 * request arrives, with the same route functions the app/api route files export, and with what
 * Next would add to their answers (next.config.ts's security headers, gzip): a test compares the
 * two answer for answer (tests/topology/api-fast-path.test.ts).
 *
 * Only requests that Next would hand straight to one of these route functions are taken: a path
 * made of characters that need no decoding (as proxy.ts's matcher), without a trailing slash or an
 * empty or dot segment (which Next redirects or normalizes), and a method the route exports.
 * Everything else goes to Next as before. API_FAST_PATH=false turns it off.
 *
 * How: Node hands each request to the server through `emit("request")`, which is wrapped here on
 * http.Server's prototype (as server/peer-address.ts and OpenTelemetry's http instrumentation do).
 * instrumentation.ts wraps it first, so tracing's wrapper runs before this one and still opens the
 * request's span. The peer-address rule (a client's forwarding headers replaced by its connection's
 * address unless TRUST_PROXY=true) is applied here too, whichever wrapper came first.
 */

export interface FastRoute {
  /** The route's name in metrics (its path pattern). */
  name: string;
  /** The whole pathname the route answers. */
  path: RegExp;
  /** The methods the route file exports; any other goes to Next (which answers 405 or HEAD). */
  methods: ReadonlySet<string>;
  handle: (request: Request) => Promise<Response>;
}

interface FastPathState {
  routes: FastRoute[];
  /** Headers next.config.ts adds to these paths' answers, set before the route's own. */
  headers: [string, string][];
  /** Told of each request taken, before it is answered (a metric). */
  taken?: (route: FastRoute) => void;
}

const PATCHED = Symbol.for("organic.apiFastPathPatched");
const g = globalThis as unknown as { organicApiFastPath?: FastPathState | null };

/** A path Next would redirect or normalize before routing: a trailing slash, `//`, `.` or `..` segments. */
const NORMALIZED_BY_NEXT = /\/$|\/\/|\/\.\.?(\/|$)/;

function routeFor(method: string, pathname: string, routes: FastRoute[]): FastRoute | null {
  if (NORMALIZED_BY_NEXT.test(pathname)) return null;
  for (const route of routes) if (route.path.test(pathname)) return route.methods.has(method) ? route : null;
  return null;
}

/**
 * Wraps http.Server's request event, answering nothing until serveApiFastPath hands it the routes.
 * Called first in instrumentation.ts, before tracing and the peer-address guard wrap it too.
 */
export function installApiFastPath() {
  const proto = http.Server.prototype as unknown as Record<symbol, boolean> & { emit: http.Server["emit"] };
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    const state = g.organicApiFastPath;
    if (state && event === "request") {
      const req = args[0] as http.IncomingMessage;
      const res = args[1] as http.ServerResponse;
      const url = req.url ?? "";
      const q = url.indexOf("?");
      const route = url.startsWith("/api/")
        ? routeFor(req.method ?? "GET", q === -1 ? url : url.slice(0, q), state.routes)
        : null;
      const request = route ? webRequest(req) : null;
      if (route && request) {
        state.taken?.(route);
        void answer(route, request, req, res, state.headers);
        return true;
      }
    }
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as http.Server["emit"];
}

/** Starts answering these routes (null: stop, every request goes to Next again). */
export function serveApiFastPath(state: FastPathState | null) {
  g.organicApiFastPath = state;
}

/** A Host header that is only a name or address and a port (anything else could change the URL's path). */
const PLAIN_HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/**
 * The request as the route function receives it from Next: the URL from the Host header, the
 * headers as Node parsed them (with the peer-address rule applied) and the body as a stream. null
 * (Next answers) when the Host is not a plain host name. Its `signal` does not follow the client: none of
 * these routes reads it (following one cost each request about 2% of its CPU); a route that must
 * stop when its client leaves (a stream: /api/sse) stays with Next.
 */
function webRequest(req: http.IncomingMessage): Request | null {
  try {
    return buildRequest(req);
  } catch {
    // Whatever a Request refuses (Node let it through), Next answers as before.
    return null;
  }
}

function buildRequest(req: http.IncomingMessage): Request | null {
  guardPeerAddress(req);
  const host = req.headers.host ?? "localhost";
  if (!PLAIN_HOST.test(host)) return null;
  // The scheme as Next reads it (a proxy's X-Forwarded-Proto); these routes use the URL's path and query.
  const https =
    (req.socket as { encrypted?: boolean }).encrypted || req.headers["x-forwarded-proto"]?.includes("https");
  let url: URL;
  try {
    url = new URL(`${https ? "https" : "http"}://${host}${req.url}`);
  } catch {
    return null;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

/** What `compression` (Next's) compresses: JSON, text and problem documents. */
const COMPRESSIBLE = /^(text\/|application\/(json|[a-z.+-]*\+json|javascript|xml)\b)/i;

function acceptsGzip(req: http.IncomingMessage) {
  const accept = req.headers["accept-encoding"];
  return typeof accept === "string" && /\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))/i.test(accept);
}

async function answer(
  route: FastRoute,
  request: Request,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  headers: [string, string][],
) {
  let response: Response;
  try {
    response = await route.handle(request);
  } catch {
    // The route wrapper (observed) has reported it; Next answers a throw with an empty 500.
    if (!res.headersSent) {
      res.setHeader("vary", NEXT_VARY);
      for (const [name, value] of headers) res.setHeader(name, value);
      res.statusCode = 500;
    }
    res.end();
    return;
  }
  try {
    await send(response, req, res, headers);
  } catch {
    // The client went away mid-answer, or the body's stream failed: nothing more can be sent.
    res.destroy();
  }
}

/** The Vary Next gives every app route's answer (base-server.ts: setVaryHeader). */
const NEXT_VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch";
/** Headers Next adds to, rather than keeps the first of (send-response.ts). */
const LISTS = new Set(["set-cookie", "www-authenticate", "proxy-authenticate", "vary"]);
/** Headers Next drops from a route's answer: it frames and encodes the body itself. */
const FRAMING = new Set(["content-length", "content-encoding", "transfer-encoding"]);

/** The answer as Next's sendResponse writes a route's Response, then its body. */
async function send(
  response: Response,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  headers: [string, string][],
) {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  res.setHeader("vary", NEXT_VARY);
  // next.config.ts's headers come first; the route's own add to a list or fill what is still unset.
  for (const [name, value] of headers) res.setHeader(name, value);
  for (const [name, value] of response.headers) {
    if (FRAMING.has(name) || name === "set-cookie") continue;
    if (LISTS.has(name) || res.getHeader(name) === undefined) res.appendHeader(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) res.appendHeader("set-cookie", cookie);

  const body = response.body;
  const type = response.headers.get("content-type") ?? "";
  const compressible = COMPRESSIBLE.test(type);
  if (compressible) res.appendHeader("vary", "Accept-Encoding");
  if (!body || req.method === "HEAD" || response.status === 204 || response.status === 304) {
    await body?.cancel();
    res.end();
    return;
  }
  if (compressible && acceptsGzip(req)) {
    res.setHeader("content-encoding", "gzip");
    res.removeHeader("content-length");
    await pipeline(Readable.fromWeb(body as never), zlib.createGzip(), res);
    return;
  }
  // Most answers are one chunk: written whole, with its Content-Length.
  const reader = body.getReader();
  const first = await reader.read();
  if (first.done) {
    res.end();
    return;
  }
  const second = await reader.read();
  if (second.done) {
    res.end(first.value);
    return;
  }
  await pipeline(async function* () {
    yield first.value;
    yield second.value;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) yield chunk.value;
  }, res);
}

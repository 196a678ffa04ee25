import "server-only";
import { requestIdFrom, runWithRequestId } from "@/lib/request-context";
import { reportError } from "./errors";
import { metrics, secondsSince } from "./metrics";
import { inSpan } from "./spans";

/** The response with its `x-request-id` header (a copy when its headers are immutable, e.g. Response.redirect). */
function withRequestId(res: Response, requestId: string): Response {
  try {
    res.headers.set("x-request-id", requestId);
    return res;
  } catch {
    const copy = new Response(res.body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
    copy.headers.set("x-request-id", requestId);
    return copy;
  }
}

/** redirect() and notFound() throw on purpose; they are answers, not errors. */
function isNextControlFlow(err: unknown): boolean {
  const digest = (err as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_");
}

/**
 * The one wrapper of every route handler: gives the request its id (the caller's `x-request-id` when
 * sane, else a new one) for every log line and error of the request and for the response header,
 * times it into `organic_http_request_duration_seconds{route}`, opens its span, and reports a throw.
 * `route` is the handler's path pattern (never the raw URL, which would make a series per id).
 */
export function observed<R extends Request, A extends unknown[]>(
  route: string,
  handler: (req: R, ...rest: A) => Response | Promise<Response>,
) {
  return async (req: R, ...rest: A): Promise<Response> => {
    const requestId = requestIdFrom(req.headers);
    const started = Date.now();
    const method = req.method.toUpperCase();
    const record = (status: number) =>
      metrics().httpDuration.observe({ route, method, status: String(status) }, secondsSince(started));
    return runWithRequestId(requestId, () =>
      inSpan(`${method} ${route}`, { "http.route": route, "http.request.method": method }, async () => {
        try {
          const res = await handler(req, ...rest);
          record(res.status);
          return withRequestId(res, requestId);
        } catch (err) {
          record(500);
          if (!isNextControlFlow(err)) reportError(err, { route });
          throw err;
        }
      }),
    );
  };
}

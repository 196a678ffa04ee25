/** Runs once per server process before it handles requests (Next's instrumentation hook). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // The API fast path wraps the server's request event before tracing and the peer-address guard
  // do, so theirs run first on every request it answers (server/http/api-fast-path.ts).
  (await import("./server/http/api-fast-path")).installApiFastPath();
  // Tracing first, so the modules loaded after it (pg, http) are instrumented.
  await (await import("./server/observability/tracing")).startTracing("web");
  await (await import("./server/observability/errors")).startErrorReporting("web");
  (await import("./server/peer-address")).installPeerAddressGuard();
  // Knows the HTTP servers, so that a SIGTERM lets the process exit once its answers are sent.
  (await import("./server/http/graceful-close")).installGracefulClose();
  const { boot } = await import("./server/boot");
  await boot();
  (await import("./server/http/api-fast-routes")).startApiFastPath();
}

/** Next calls this for errors thrown while rendering or in a route handler: report them. */
export async function onRequestError(
  err: unknown,
  request: { path: string; method: string; headers: Record<string, string | string[] | undefined> },
) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const requestId = request.headers["x-request-id"];
  (await import("./server/observability/errors")).reportError(err, {
    path: request.path,
    method: request.method,
    requestId: typeof requestId === "string" ? requestId : undefined,
  });
}

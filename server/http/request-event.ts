import "server-only";
import http from "node:http";

/**
 * Runs `fn` on every request any HTTP server of this process receives, before the server's own
 * handlers (and before wrappers installed earlier: Next's, the API fast path's). Installed once per
 * `key`, by wrapping http.Server's `emit`, as OpenTelemetry's http instrumentation does.
 */
export function beforeEachRequest(
  key: string,
  fn: (server: http.Server, req: http.IncomingMessage, res: http.ServerResponse) => void,
) {
  const patched = Symbol.for(key);
  const proto = http.Server.prototype as unknown as Record<symbol, boolean> & { emit: http.Server["emit"] };
  if (proto[patched]) return;
  proto[patched] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") fn(this, args[0] as http.IncomingMessage, args[1] as http.ServerResponse);
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as http.Server["emit"];
}

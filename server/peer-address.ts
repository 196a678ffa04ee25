import "server-only";
import http from "node:http";
import { env } from "@/lib/env";

const PATCHED = Symbol.for("organic.peerAddressPatched");

/**
 * Unless TRUST_PROXY=true, replaces whatever X-Forwarded-For / X-Real-IP a client sent with the
 * socket's peer address, so rate limits and the activity log cannot be fooled by a spoofed header.
 * Next.js only fills X-Forwarded-For when it is absent, so without this a client could pick its IP.
 * Behind a reverse proxy that sets these headers, set TRUST_PROXY=true.
 */
export function installPeerAddressGuard() {
  if (env().TRUST_PROXY) return;
  const proto = http.Server.prototype as unknown as Record<symbol, boolean> & { emit: http.Server["emit"] };
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") applyPeerAddress(args[0] as http.IncomingMessage);
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as http.Server["emit"];
}

/** The guard's rule for one request: its forwarding headers become the socket's peer address. */
export function applyPeerAddress(req: http.IncomingMessage) {
  const peer = req.socket?.remoteAddress;
  delete req.headers["x-real-ip"];
  if (peer) req.headers["x-forwarded-for"] = peer;
  else delete req.headers["x-forwarded-for"];
}

/**
 * The guard's rule for a request read before the guard's own wrapper has run (the API fast path's
 * wrapper may be nearer to Node than it): the same rule, unless TRUST_PROXY=true. Applying it twice
 * changes nothing.
 */
export function guardPeerAddress(req: http.IncomingMessage) {
  if (!env().TRUST_PROXY) applyPeerAddress(req);
}

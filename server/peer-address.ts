import "server-only";
import type http from "node:http";
import { env } from "@/lib/env";
import { beforeEachRequest } from "@/server/http/request-event";

/**
 * Unless TRUST_PROXY=true, replaces whatever X-Forwarded-For / X-Real-IP a client sent with the
 * socket's peer address, so rate limits and the activity log cannot be fooled by a spoofed header.
 * Next.js only fills X-Forwarded-For when it is absent, so without this a client could pick its IP.
 * Behind a reverse proxy that sets these headers, set TRUST_PROXY=true.
 */
export function installPeerAddressGuard() {
  if (env().TRUST_PROXY) return;
  beforeEachRequest("organic.peerAddressPatched", (_server, req) => applyPeerAddress(req));
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

import "server-only";
import type http from "node:http";
import { beforeEachRequest } from "./request-event";

/*
 * A web process that is told to stop (SIGTERM) should exit once the requests in flight are answered.
 * Next's handler closes the HTTP server and exits when its last connection has closed, but Node's
 * server.close() only closes the connections idle at that instant: one that finishes a response
 * afterwards stays open for its keep-alive time (65 s here, KEEP_ALIVE_TIMEOUT), and a browser may
 * even send its next request down it. So from the signal on, every answer says `Connection: close`,
 * and connections are closed as soon as they fall idle.
 */

const g = globalThis as unknown as { organicHttpServers?: Set<http.Server>; organicHttpClosing?: boolean };

/** The servers that have had a request and are not closed yet. */
function knownServers(): Set<http.Server> {
  g.organicHttpServers ??= new Set();
  return g.organicHttpServers;
}

/** How often, once stopping, the servers' idle connections are closed. */
const IDLE_SWEEP_MS = 100;

/** Knows the servers that answer requests and marks answers once stopping (instrumentation.ts). */
export function installGracefulClose() {
  beforeEachRequest("organic.gracefulClosePatched", (server, _req, res) => {
    const servers = knownServers();
    if (!servers.has(server)) {
      servers.add(server);
      server.once("close", () => servers.delete(server));
    }
    if (g.organicHttpClosing) res.shouldKeepAlive = false;
  });
}

/**
 * From now on: answers close their connection, and every idle connection of this process's servers
 * is closed, now and every IDLE_SWEEP_MS until they have all closed. Returns how many servers it saw.
 */
export function closeConnectionsWhenIdle(): number {
  const servers = knownServers();
  if (g.organicHttpClosing) return servers.size;
  g.organicHttpClosing = true;
  const seen = servers.size;
  const sweep = () => {
    // (The flag is only ever taken back by tests, which go on using servers.)
    if (servers.size === 0 || !g.organicHttpClosing) return clearInterval(timer);
    for (const server of servers) server.closeIdleConnections();
  };
  const timer = setInterval(sweep, IDLE_SWEEP_MS);
  timer.unref();
  sweep();
  return seen;
}

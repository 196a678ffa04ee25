import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { closeConnectionsWhenIdle, installGracefulClose } from "@/server/http/graceful-close";

/*
 * What a stopping web process does with its connections (server/http/graceful-close.ts): Node's
 * server.close() leaves a connection that finishes its answer afterwards open for its keep-alive
 * time, 65 s in production. A real server and a keep-alive client on 127.0.0.1.
 */

afterEach(() => {
  // The flag says "this process is stopping" for good; the test process goes on.
  delete (globalThis as { organicHttpClosing?: boolean }).organicHttpClosing;
});

async function slowServer(answerAfterMs: number) {
  const server = http.createServer((_req, res) => setTimeout(() => res.end("ok"), answerAfterMs));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function get(server: http.Server, agent: http.Agent) {
  return new Promise<{ connection: string | undefined; body: string }>((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    http
      .get({ host: "127.0.0.1", port, agent }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ connection: res.headers.connection, body }));
      })
      .on("error", reject);
  });
}

/** Resolves when the server has closed (every connection ended); rejects after `ms`. */
function closed(server: http.Server, ms: number) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server had not closed ${ms} ms later`)), ms);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

it("a request answered after the stop closes its connection, and the server closes then, not 65 s later", async () => {
  installGracefulClose();
  const server = await slowServer(400);
  const agent = new http.Agent({ keepAlive: true });
  try {
    // A first request makes the server known and leaves an idle keep-alive connection.
    await expect(get(server, agent)).resolves.toEqual({ connection: "keep-alive", body: "ok" });
    const inFlight = get(server, agent);
    await new Promise((r) => setTimeout(r, 100));
    // SIGTERM: Next calls server.close(); boot's handler calls closeConnectionsWhenIdle().
    const isClosed = closed(server, 5_000);
    expect(closeConnectionsWhenIdle()).toBeGreaterThanOrEqual(1);
    await expect(inFlight).resolves.toMatchObject({ body: "ok" });
    await isClosed;
  } finally {
    agent.destroy();
    server.closeAllConnections();
  }
});

it("without it, the same connection keeps the server open (what the test above guards against)", async () => {
  const server = await slowServer(400);
  const agent = new http.Agent({ keepAlive: true });
  try {
    const inFlight = get(server, agent);
    await new Promise((r) => setTimeout(r, 100));
    const isClosed = closed(server, 1_500);
    await expect(inFlight).resolves.toEqual({ connection: "keep-alive", body: "ok" });
    await expect(isClosed).rejects.toThrow("had not closed");
  } finally {
    agent.destroy();
    server.closeAllConnections();
  }
});

it("once stopping, answers say Connection: close", async () => {
  installGracefulClose();
  const server = await slowServer(0);
  const agent = new http.Agent({ keepAlive: true });
  try {
    await expect(get(server, agent)).resolves.toEqual({ connection: "keep-alive", body: "ok" });
    closeConnectionsWhenIdle();
    // The idle connection was closed; the client learns it before its next request (browsers also
    // retry a request that fails on a reused connection before any answer).
    await new Promise((r) => setTimeout(r, 50));
    await expect(get(server, agent)).resolves.toEqual({ connection: "close", body: "ok" });
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPeerAddressGuard } from "@/server/peer-address";
import { clientIp } from "@/server/request-info";

/**
 * Without TRUST_PROXY, a client cannot choose the IP the rate limits and the activity log see:
 * X-Forwarded-For / X-Real-IP it sends are replaced with the connection's address, on a real
 * http.Server like the one Next's standalone server.js starts.
 */

let server: http.Server;
let url = "";
const saved = process.env.TRUST_PROXY;

beforeAll(async () => {
  delete process.env.TRUST_PROXY;
  installPeerAddressGuard();
  server = http.createServer((req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    res.end(JSON.stringify({ ip: clientIp(headers), realIp: req.headers["x-real-ip"] ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  if (saved !== undefined) process.env.TRUST_PROXY = saved;
  await new Promise((r) => server.close(r));
});

describe("peer address guard", () => {
  it("replaces a spoofed X-Forwarded-For and drops X-Real-IP", async () => {
    const res = await fetch(url, {
      headers: { "x-forwarded-for": "203.0.113.99, 10.0.0.1", "x-real-ip": "198.51.100.1" },
    });
    expect(await res.json()).toEqual({ ip: "127.0.0.1", realIp: null });
  });

  it("fills in the peer when the client sent nothing", async () => {
    expect(await (await fetch(url)).json()).toEqual({ ip: "127.0.0.1", realIp: null });
  });
});

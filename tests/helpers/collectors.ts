import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A local HTTP collector: records every POST (body un-gzipped) and answers 200 `{}`. Stands in for an
 * OTLP/HTTP receiver (POST /v1/traces, JSON) or a Sentry-compatible server (POST /api/<project>/envelope/).
 */
export async function startCollector() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      received.push({ path: req.url ?? "", headers: req.headers, body: raw.toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    async waitFor(pred: (r: Received) => boolean, timeoutMs = 10_000) {
      const start = Date.now();
      while (Date.now() - start < timeoutMs) {
        const hit = received.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`nothing matching arrived in ${timeoutMs} ms (got ${received.map((r) => r.path)})`);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * The HTTP side of the topology test: a round-robin reverse proxy in front of the web processes (as a
 * load balancer that ends TLS would be: it names the public host and scheme in X-Forwarded-*), a
 * client that talks to the app only through it (cookies, tRPC over HTTP, uploads, public pages), and a
 * webhook receiver that verifies each delivery's Standard Webhooks signature.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import superjson from "superjson";

async function listen(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function close(server: http.Server) {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

/**
 * Sends each request to the next upstream in turn (per request, not per connection) and says which
 * one answered in `x-topology-upstream`. `served[i]` counts the requests upstream i answered.
 */
export async function startRoundRobinProxy(upstreamPorts: number[], publicUrl: string) {
  const publicHost = new URL(publicUrl).host;
  const served = upstreamPorts.map(() => 0);
  const agent = new http.Agent({ keepAlive: true });
  let next = 0;
  const server = http.createServer((req, res) => {
    const i = next++ % upstreamPorts.length;
    served[i]!++;
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    const peer = req.socket.remoteAddress ?? "";
    headers["x-forwarded-for"] = [req.headers["x-forwarded-for"], peer].filter(Boolean).join(", ");
    headers["x-forwarded-host"] = publicHost;
    headers["x-forwarded-proto"] = "https";
    headers.host = publicHost;
    const upstream = http.request(
      { host: "127.0.0.1", port: upstreamPorts[i], method: req.method, path: req.url, headers, agent },
      (upRes) => {
        const out: http.OutgoingHttpHeaders = { ...upRes.headers, "x-topology-upstream": String(i) };
        for (const h of HOP_BY_HOP) delete out[h];
        res.writeHead(upRes.statusCode ?? 502, out);
        upRes.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: upstream ${i} failed: ${err.message}`);
    });
    req.pipe(upstream);
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    async close() {
      agent.destroy();
      await close(server);
    },
  };
}

export interface Answer<T = unknown> {
  status: number;
  upstream: number;
  data: T;
}

/**
 * A client of the app through the proxy: a cookie jar, and the Origin a browser on the public
 * address sends. `calls` records which upstream answered each request.
 */
export class Client {
  private readonly cookies = new Map<string, string>();
  readonly calls: { what: string; upstream: number; status: number }[] = [];
  constructor(
    private readonly proxyUrl: string,
    private readonly publicUrl: string,
  ) {}

  /** The Cookie header this client sends (the session, once signed in). */
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private async request(what: string, pathAndQuery: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set("origin", new URL(this.publicUrl).origin);
    headers.set("user-agent", "organic-topology-test");
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${this.proxyUrl}${pathAndQuery}`, {
      ...init,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || /max-age=0\b/i.test(line)) this.cookies.delete(pair!.slice(0, eq).trim());
      else this.cookies.set(pair!.slice(0, eq).trim(), value);
    }
    const upstream = Number(res.headers.get("x-topology-upstream") ?? -1);
    this.calls.push({ what, upstream, status: res.status });
    return { res, upstream };
  }

  /** A page or file by path (a link in an email is opened by its path on the public address). */
  async get(pathAndQuery: string): Promise<Answer<string>> {
    const { res, upstream } = await this.request(`GET ${pathAndQuery.split("?")[0]}`, pathAndQuery);
    return { status: res.status, upstream, data: await res.text() };
  }

  async postJson<T = unknown>(path: string, body: unknown): Promise<Answer<T>> {
    const { res, upstream } = await this.request(`POST ${path}`, path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, upstream, data: (text ? JSON.parse(text) : null) as T };
  }

  async upload<T = unknown>(path: string, body: string, contentType: string): Promise<Answer<T>> {
    const { res, upstream } = await this.request(`POST ${path.split("?")[0]}`, path, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });
    return { status: res.status, upstream, data: (await res.json()) as T };
  }

  private async trpc<T>(kind: "query" | "mutation", path: string, input: unknown): Promise<Answer<T>> {
    const encoded = JSON.stringify(superjson.serialize(input));
    const { res, upstream } =
      kind === "query"
        ? await this.request(`trpc ${path}`, `/api/trpc/${path}?input=${encodeURIComponent(encoded)}`)
        : await this.request(`trpc ${path}`, `/api/trpc/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: encoded,
          });
    const json = (await res.json()) as { result?: { data: unknown }; error?: unknown };
    if (!json.result) {
      const err = json.error ? superjson.deserialize<{ message: string }>(json.error as never) : null;
      throw new Error(`${path} answered ${res.status} from upstream ${upstream}: ${err?.message ?? "?"}`);
    }
    return { status: res.status, upstream, data: superjson.deserialize<T>(json.result.data as never) };
  }

  query<T = unknown>(path: string, input?: unknown) {
    return this.trpc<T>("query", path, input);
  }

  mutate<T = unknown>(path: string, input?: unknown) {
    return this.trpc<T>("mutation", path, input);
  }
}

export interface ReceivedHook {
  id: string;
  type: string;
  body: string;
  headers: Record<string, string>;
  at: number;
}

/** A webhook endpoint on 127.0.0.1 that keeps every delivery it receives and answers 204. */
export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
      );
      let type = "?";
      try {
        type = (JSON.parse(body) as { type?: string }).type ?? "?";
      } catch {
        // kept as received; the test reports it
      }
      received.push({ id: headers["webhook-id"] ?? "", type, body, headers, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/hooks/organic`, received, close: () => close(server) };
}

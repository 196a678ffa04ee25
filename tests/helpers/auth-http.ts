import superjson from "superjson";
import { afterAll } from "vitest";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import type { DbHandle } from "@/server/db";

export const BASE = "http://localhost:3000";

/**
 * Points the app's process-wide database (what `getDb()` — and so `getAuth()` and the route
 * handlers — use) at this test file's database, until the file ends.
 */
export function routeHandlersUse(handle: DbHandle) {
  const g = globalThis as unknown as { organicDb?: Promise<DbHandle>; organicAuth?: unknown };
  g.organicDb = Promise.resolve(handle);
  g.organicAuth = undefined;
  afterAll(() => {
    g.organicDb = undefined;
    g.organicAuth = undefined;
  });
}

/**
 * A browser as the server sees it: one client address, a cookie jar, same-origin requests to the
 * real route handlers (`/api/auth/*` is better-auth's handler, `/api/trpc/*` the tRPC one).
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** The address the browser opened (Host, and Origin on http); unset, BASE without a Host header. */
  host: string | undefined;
  constructor(public ip = "198.51.100.10") {}

  private headers(extra: Record<string, string> = {}) {
    const h: Record<string, string> = {
      origin: this.host ? `http://${this.host}` : BASE,
      ...(this.host ? { host: this.host } : {}),
      "x-forwarded-for": this.ip,
      "user-agent": "vitest-browser",
      ...extra,
    };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return h;
  }

  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  hasCookie(suffix: string) {
    return [...this.cookies.keys()].some((k) => k.endsWith(suffix));
  }

  /** POST (with a JSON body) or GET to better-auth, e.g. `auth("/sign-in/email", {...})`. */
  async auth(path: string, body?: unknown): Promise<Response> {
    const url = `${BASE}/api/auth${path}`;
    const req =
      body === undefined
        ? new Request(url, { headers: this.headers(), redirect: "manual" })
        : new Request(url, {
            method: "POST",
            headers: this.headers({ "content-type": "application/json" }),
            body: JSON.stringify(body),
          });
    return this.keep(await (body === undefined ? authGet(req) : authPost(req)));
  }

  /** Opens a link (e.g. from an email) that points into better-auth. */
  async open(link: string): Promise<Response> {
    const u = new URL(link);
    const req = new Request(`${BASE}${u.pathname}${u.search}`, { headers: this.headers() });
    return this.keep(await authGet(req));
  }

  /** One tRPC call over HTTP; `data` is the deserialized result, `error` the formatted error. */
  async trpc(type: "query" | "mutation", path: string, input?: unknown) {
    const encoded = JSON.stringify(superjson.serialize(input));
    const url = new URL(`${BASE}/api/trpc/${path}`);
    if (type === "query" && input !== undefined) url.searchParams.set("input", encoded);
    const req = new Request(url, {
      method: type === "query" ? "GET" : "POST",
      headers: this.headers({ "content-type": "application/json" }),
      body: type === "mutation" ? encoded : undefined,
    });
    const res = this.keep(await (type === "query" ? trpcGet(req) : trpcPost(req)));
    const json = (await res.json()) as { result?: { data: unknown }; error?: unknown };
    return {
      status: res.status,
      data: json.result ? superjson.deserialize(json.result.data as never) : undefined,
      error: json.error
        ? superjson.deserialize<{ message: string; data: { code: string } }>(json.error as never)
        : undefined,
    };
  }
}

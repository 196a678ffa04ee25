import "server-only";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { generateNonce, securityHeaders } from "@/lib/security-headers";
import { type Db, getDb } from "@/server/db";
import { preparedStatement } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import { requestBaseUrl } from "@/server/request-info";
import { countBlogView, isCountableView } from "@/server/services/blog-views";

/*
 * The public blog's pages (the index and each post) served from a cache of their rendered HTML.
 * Rendering one took 4× a static file's time to first byte; a cached copy is sent at about a static
 * file's cost.
 *
 * - Fresh on every visit: each one reads the blog's state in one indexed statement (the workspace's
 *   row, and the count, visibility and last change of its published posts, and its members' names).
 *   A publish, an unpublish, an edit of a published post, a post whose publish time has come, a
 *   renamed blog: the state differs, the copy is rendered again. So the cache holds across web
 *   processes on different hosts and a publish by a worker, with nothing to invalidate.
 * - The page is rendered by the app as before, through one request to this server (the proxy cannot
 *   see a page's body): the same headers minus cookies, marked with this process's secret so that
 *   request passes straight through.
 * - Every answer carries its own CSP nonce: the copy's nonce (in its script tags and the React payload)
 *   is replaced with a new one, and the policy header names the new one.
 * - Views are counted here for every answer, cached or not, as the page counts them (people only).
 * - Only GET and HEAD, in production, without the router's RSC or prefetch headers, and only the
 *   query the index reads (`tag`, `page`); anything else renders as before.
 */

/** A copy is rendered again after this long even when nothing above changed (a safety net). */
const MAX_AGE_MS = 10 * 60_000;
const FILL_TIMEOUT_MS = 15_000;
const FILL_HEADER = "x-organic-blog-fill";
export const BLOG_CACHE_HEADER = "x-organic-cache";
const QUERY_KEYS = new Set(["tag", "page"]);
/** Headers of the rendered answer not kept with the copy: per answer, per connection, or per visitor. */
const DROPPED = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "set-cookie",
  "x-request-id",
  FILL_HEADER,
]);

interface Page {
  html: string;
  nonce: string;
  status: number;
  headers: [string, string][];
  state: string;
  storedAt: number;
}

interface Target {
  workspace: string;
  slug: string | null;
}

const g = globalThis as unknown as {
  organicBlogPages?: LRUCache<string, Page>;
  organicBlogFills?: Map<string, Promise<Page | null>>;
  organicBlogFillSecret?: string;
  organicBlogFillWarned?: boolean;
};
const pages = () =>
  (g.organicBlogPages ??= new LRUCache<string, Page>({
    max: 2000,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (p) => p.html.length * 2 + 1024,
  }));
const fills = () => (g.organicBlogFills ??= new Map());
const secret = () => (g.organicBlogFillSecret ??= randomUUID());

/** `/blog/<workspace>` or `/blog/<workspace>/<post>` (not its feed or sitemap), else null. */
export function blogPageTarget(pathname: string): Target | null {
  const m = /^\/blog\/([a-z0-9-]{1,63})(?:\/([a-z0-9-]{1,200}))?\/?$/.exec(pathname);
  if (!m) return null;
  return { workspace: m[1]!, slug: m[2] ?? null };
}

function cacheable(request: Request, url: URL): Target | null {
  if (env().NODE_ENV !== "production") return null;
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const h = request.headers;
  if (
    h.has("rsc") ||
    h.has("next-router-prefetch") ||
    h.has("next-router-state-tree") ||
    h.has("next-action")
  )
    return null;
  for (const key of url.searchParams.keys()) if (!QUERY_KEYS.has(key)) return null;
  return blogPageTarget(url.pathname);
}

/** Whether this request is the cache's own render of a page (it then passes straight through). */
export function isBlogPageFill(request: Request): boolean {
  return request.headers.get(FILL_HEADER) === secret();
}

/** The mark the proxy puts on the answer to the cache's own render, so the cache knows it is ours. */
export function blogPageFillMark(): [string, string] {
  return [FILL_HEADER, secret()];
}

/**
 * The blog's state as one string (any change that can alter a page changes it), and the post's id
 * when a post is asked for and a visitor may see it. Null: no such workspace.
 */
const stateOfBlog = preparedStatement<{ workspace: string; slug: string }>(
  () =>
    sql`select w.id, concat_ws('.', (extract(epoch from w.updated_at) * 1000000)::bigint, p.visible,
            p.total, (extract(epoch from p.changed) * 1000000)::bigint,
            (select (extract(epoch from max(u.updated_at)) * 1000000)::bigint
               from workspace_members m join users u on u.id = m.user_id where m.workspace_id = w.id)) as state,
          (select c.id from content c where c.workspace_id = w.id and c.slug = ${sql.placeholder("slug")} and c.type = 'blog'
             and c.status = 'published' and c.published_at <= now()) as post_id
        from workspaces w,
          lateral (select count(*) filter (where c.published_at <= now()) as visible, count(*) as total,
                     max(c.updated_at) as changed
                   from content c
                   where c.workspace_id = w.id and c.type = 'blog' and c.status = 'published') p
        where w.slug = ${sql.placeholder("workspace")}`,
);

export async function blogPageState(db: Db, workspace: string, slug: string | null) {
  const [row] = rowsOf<{ id: string; state: string; post_id: string | null }>(
    await stateOfBlog(db, { workspace, slug: slug ?? "" }),
  );
  return row ? { workspaceId: row.id, state: row.state, postId: row.post_id } : null;
}

/**
 * The address this server listens on, for its own requests: loopback when HOST is every address or
 * localhost (the Docker image listens on 0.0.0.0 and leaves HOST at its default), else HOST.
 */
function ownOrigin(): string {
  const { HOST, PORT } = env();
  const host = ["", "0.0.0.0", "::", "localhost"].includes(HOST) ? "127.0.0.1" : HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${PORT}`;
}

function nonceOf(csp: string | null): string | null {
  return /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1] ?? null;
}

interface Rendered {
  status: number;
  headers: [string, string][];
  html: string;
}

/**
 * One request to this server with node:http, which keeps the visitor's Host header (fetch replaces
 * it, and the page's links are built from it when APP_URL is not set).
 */
function requestOwnPage(url: URL, headers: Record<string, string>): Promise<Rendered> {
  const origin = new URL(ownOrigin());
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: origin.hostname.replace(/^\[|\]$/g, ""),
        port: origin.port,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers,
        timeout: FILL_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const out: [string, string][] = [];
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) out.push([name, v]);
          }
          resolve({
            status: res.statusCode ?? 500,
            headers: out,
            html: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${FILL_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end();
  });
}

/** Renders the page through this server. A page, or a Response to pass on as it is (not cacheable). */
async function render(request: Request, url: URL, state: string): Promise<Page | Response | null> {
  const headers: Record<string, string> = {};
  const dropped = new Set([
    "cookie",
    "authorization",
    "user-agent",
    "accept-encoding",
    "if-none-match",
    "if-modified-since",
    "connection",
    "content-length",
    "transfer-encoding",
  ]);
  request.headers.forEach((value, name) => {
    if (!dropped.has(name)) headers[name] = value;
  });
  headers[FILL_HEADER] = secret();
  headers["accept-encoding"] = "identity";
  let res: Rendered;
  try {
    res = await requestOwnPage(url, headers);
  } catch (err) {
    if (!g.organicBlogFillWarned) {
      g.organicBlogFillWarned = true;
      logger.warn(
        { err: String(err), origin: ownOrigin() },
        "blog page cache: this server cannot reach itself (HOST/PORT?); pages render uncached",
      );
    }
    return null;
  }
  const header = (name: string) => res.headers.find(([n]) => n === name)?.[1] ?? null;
  // Not ours (another program on that port): never cached, never passed on.
  if (header(FILL_HEADER) !== secret()) return null;
  const nonce = nonceOf(header("content-security-policy"));
  const type = header("content-type") ?? "";
  const kept = res.headers.filter(([name]) => !DROPPED.has(name));
  if (res.status !== 200 || !nonce || !type.startsWith("text/html") || header("set-cookie") !== null) {
    return new Response(request.method === "HEAD" ? null : res.html, { status: res.status, headers: kept });
  }
  return { html: res.html, nonce, status: res.status, headers: kept, state, storedAt: Date.now() };
}

function answer(request: Request, url: URL, page: Page, how: "hit" | "miss"): Response {
  const nonce = generateNonce();
  const headers = new Headers(page.headers);
  for (const [name, value] of Object.entries(
    securityHeaders({ nonce, pathname: url.pathname, production: true }),
  ))
    headers.set(name, value);
  headers.set(BLOG_CACHE_HEADER, how);
  const body = request.method === "HEAD" ? null : page.html.split(page.nonce).join(nonce);
  return new Response(body, { status: page.status, headers });
}

/**
 * The answer to a blog page request from the cache (rendering the page into it first when its copy
 * is missing or stale), or null when this request is not for the cache: the proxy goes on as usual.
 */
export async function blogPageFromCache(request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  const target = cacheable(request, url);
  if (!target || isBlogPageFill(request)) return null;
  try {
    const db = await getDb();
    const blog = await blogPageState(db, target.workspace, target.slug);
    // No such blog or post: the page renders its 404 as before.
    if (!blog || (target.slug && !blog.postId)) return null;
    const key = `${requestBaseUrl(request.headers)}${url.pathname}${url.search}`;

    let page = pages().get(key);
    let how: "hit" | "miss" = "hit";
    if (!page || page.state !== blog.state || Date.now() - page.storedAt > MAX_AGE_MS) {
      how = "miss";
      const fillKey = `${key}\n${blog.state}`;
      let fill = fills().get(fillKey);
      let passOn: Response | null = null;
      if (!fill) {
        fill = render(request, url, blog.state).then((r) => {
          if (r instanceof Response) {
            passOn = r;
            return null;
          }
          if (r) pages().set(key, r);
          return r;
        });
        fills().set(fillKey, fill);
        const forget = () => fills().delete(fillKey);
        void fill.then(forget, forget);
      }
      page = (await fill) ?? undefined;
      if (!page) return passOn;
    }

    if (blog.postId && isCountableView(request.headers.get("user-agent"), request.headers)) {
      countBlogView(db, { workspaceId: blog.workspaceId, contentId: blog.postId });
    }
    return answer(request, url, page, how);
  } catch (err) {
    logger.warn({ err: String(err), path: url.pathname }, "blog page cache failed; rendering the page");
    return null;
  }
}

/** Test hook: forget every cached page. */
export function clearBlogPageCache() {
  g.organicBlogPages?.clear();
}

/**
 * The `pages` benchmark: time to first byte of the production build's pages (`next start` on
 * PostgreSQL, embedded jobs), each asked for one request at a time, against a static file's in the
 * same run. The workspace holds the demo story (`cli seed-demo`): its public blog, 90 days of figures.
 *
 *   static         /icon.svg, a file Next serves without our code (the floor)
 *   signIn         /sign-in, the smallest rendered page
 *   blogIndex      /blog/<workspace>, from the blog page cache
 *   blogPost       /blog/<workspace>/<post>, from the blog page cache
 *   blogPostRender the same post rendered on every request (a query the cache does not keep: `?r=n`)
 *   overview       the signed-in Overview
 *
 * Prints p50/p95 per page and the ratio of each p50 to the floor's. Goal (issue 16): the cached blog
 * pages ≤ 2× the static file.
 *
 *   BENCH_DATABASE_URL  database to DROP and recreate (default postgres://postgres@127.0.0.1:5432/organic_bench_pages)
 *   --requests N        measured requests per page, after 10 unmeasured (default 200)
 *   --verbose           forward the server's output to stderr
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { percentile, recreateDatabase } from "./lib/db";
import { cliJson, ensureBuild, startServer, stopServer, waitForHealth } from "./lib/next-server";
import { freePort, positiveInt } from "./lib/process";
import { signIn } from "./lib/sign-in";

export const description =
  "production build: time to first byte of the blog (cached), sign-in and Overview against a static file";

const log = (line: string) => process.stderr.write(`[bench pages] ${line}\n`);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET: milliseconds until the status line and headers arrived, the status and a header. */
function timeToFirstByte(url: string, headers: Record<string, string>) {
  return new Promise<{ ms: number; status: number; cache: string | null; body: string }>(
    (resolve, reject) => {
      const started = performance.now();
      const req = http.get(
        url,
        { agent, headers: { "user-agent": "Mozilla/5.0 (bench pages)", ...headers } },
        (res) => {
          const ms = performance.now() - started;
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              ms,
              status: res.statusCode ?? 0,
              cache: (res.headers["x-organic-cache"] as string | undefined) ?? null,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
    },
  );
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { requests: { type: "string" }, verbose: { type: "boolean" } },
    strict: true,
  });
  const requests = positiveInt(values.requests, 200, "requests");
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/organic_bench_pages";

  await recreateDatabase(databaseUrl, log);
  await ensureBuild(log);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-bench-pages-"));
  const { REDIS_URL: _redis, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: base,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    AUTH_RATE_LIMIT_MAX: "1000000",
    HTTP_RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
  };
  const server = startServer(port, env, values.verbose ?? false, log);
  try {
    await waitForHealth(base, server);
    const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
    const password = randomBytes(12).toString("base64url");
    await cliJson(["create-user", "--email", email, `--password=${password}`, "--name", "Bench"], env);
    const ws = await cliJson(["create-workspace", "--owner", email, "--name", "Bench Blog"], env);
    await cliJson(["seed-demo", "--workspace", ws.slug!], env);
    const cookie = await signIn(base, email, password);
    const index = await timeToFirstByte(`${base}/blog/${ws.slug}`, {});
    const post = new RegExp(`href="/blog/${ws.slug}/([a-z0-9-]+)"`).exec(index.body)?.[1];
    if (index.status !== 200 || !post) throw new Error(`the blog index has no post (${index.status})`);
    log(`workspace ${ws.slug}, post ${post}`);

    let n = 0;
    const pages: [string, () => string, Record<string, string>][] = [
      ["static", () => `${base}/icon.svg`, {}],
      ["signIn", () => `${base}/sign-in`, {}],
      ["blogIndex", () => `${base}/blog/${ws.slug}`, {}],
      ["blogPost", () => `${base}/blog/${ws.slug}/${post}`, {}],
      ["blogPostRender", () => `${base}/blog/${ws.slug}/${post}?r=${n++}`, {}],
      ["overview", () => `${base}/${ws.slug}`, { cookie }],
    ];
    const figures: Record<string, { p50: number; p95: number; ofStatic?: number; cached?: number }> = {};
    for (const [name, url, headers] of pages) {
      for (let i = 0; i < 10; i++) await timeToFirstByte(url(), headers);
      const ms: number[] = [];
      let cached = 0;
      for (let i = 0; i < requests; i++) {
        const r = await timeToFirstByte(url(), headers);
        if (r.status !== 200) throw new Error(`${name}: ${r.status} ${r.body.slice(0, 200)}`);
        if (r.cache === "hit") cached++;
        ms.push(r.ms);
      }
      ms.sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 100) / 100;
      figures[name] = { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) };
      if (name.startsWith("blog")) figures[name]!.cached = cached;
    }
    const floor = figures.static!.p50;
    for (const [name, f] of Object.entries(figures)) {
      if (name !== "static") f.ofStatic = Math.round((f.p50 / floor) * 100) / 100;
      log(
        `${name.padEnd(15)} p50 ${f.p50} ms  p95 ${f.p95} ms` +
          (f.ofStatic === undefined ? "" : `  ${f.ofStatic}× the static file`) +
          (f.cached === undefined ? "" : `  (${f.cached}/${requests} from the cache)`),
      );
    }
    process.stdout.write(`${JSON.stringify({ bench: "pages", requests, pages: figures })}\n`);
  } finally {
    agent.destroy();
    await stopServer(server, log);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

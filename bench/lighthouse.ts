/**
 * The `lighthouse` benchmark: Lighthouse (mobile, its default throttling) on the sign-in page, a public
 * blog and a workspace's Overview, against a running production server (`npm start`). It signs up a
 * new account there and creates a workspace, so point it at a test instance.
 *
 *   --base URL        the server (default http://127.0.0.1:3000)
 *   --runs N          runs per page; the median score is reported (default 1)
 *   --chrome PATH     Chromium (default CHROME_PATH or /usr/bin/chromium)
 *   --demo            fill the workspace with the demo story first (`cli seed-demo`: 90 days of
 *                     figures, charts and leaderboards on Overview). The CLI reaches the server's
 *                     database as the server does: give the bench the same DATABASE_URL, or the same
 *                     DATA_DIR for an embedded server.
 *
 * Lighthouse itself is fetched by npx (lighthouse@12.2.3, the last for Node 20), not a dependency.
 * Scores depend on the machine: run it on a quiet one; the result line gives the load average, and
 * each run prints Lighthouse's benchmarkIndex (its 4× CPU slowdown assumes 1,500–2,000, a high-end
 * desktop; below that its docs advise a lower multiplier, above it the scores are generous).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import superjson from "superjson";
import { cliJson } from "./lib/next-server";
import { positiveInt, runToCompletion } from "./lib/process";
import { signIn } from "./lib/sign-in";

export const description =
  "Lighthouse mobile scores of sign-in, the public blog and Overview (running server)";

const LIGHTHOUSE = "lighthouse@12.2.3";
const log = (line: string) => process.stderr.write(`[bench lighthouse] ${line}\n`);

async function signUp(base: string): Promise<string> {
  const email = `lighthouse-${randomUUID().slice(0, 8)}@example.test`;
  const res = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ name: "Light House", email, password: "correct horse battery staple" }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  // Sign-up starts no session (the form signs in next, as here).
  return signIn(base, email, "correct horse battery staple");
}

async function createWorkspace(base: string, cookie: string): Promise<string> {
  const res = await fetch(`${base}/api/trpc/workspace.create`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, cookie },
    body: JSON.stringify(superjson.serialize({ name: `Lighthouse ${randomUUID().slice(0, 4)}` })),
  });
  const body = (await res.json()) as { result?: { data: { json: { slug: string } } } };
  if (!res.ok || !body.result)
    throw new Error(`workspace.create failed: ${res.status} ${JSON.stringify(body)}`);
  return body.result.data.json.slug;
}

interface Scores {
  performance: number;
  accessibility: number;
}

/** The metrics Lighthouse 12 weighs into the performance score, printed beside it. */
const METRICS = [
  ["first-contentful-paint", "FCP"],
  ["largest-contentful-paint", "LCP"],
  ["total-blocking-time", "TBT"],
  ["cumulative-layout-shift", "CLS"],
  ["speed-index", "SI"],
] as const;

async function score(url: string, chrome: string, cookie?: string): Promise<Scores> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "organic-lh-")), "report.json");
  const args = [
    "-y",
    LIGHTHOUSE,
    url,
    "--only-categories=performance,accessibility",
    "--output=json",
    `--output-path=${out}`,
    "--quiet",
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ...(cookie ? [`--extra-headers=${JSON.stringify({ cookie })}`] : []),
  ];
  // Lighthouse now and then fails to record a trace (NO_NAVSTART, "run Lighthouse again"): up to
  // three more tries.
  for (let attempt = 1; ; attempt++) {
    const failed = await runToCompletion("npx", args, { ...process.env, CHROME_PATH: chrome }).then(
      () => null,
      (e: Error) => e,
    );
    if (!failed) break;
    if (attempt === 4 || !/run Lighthouse again/.test(failed.message)) throw failed;
    log(`${url}: Lighthouse recorded no trace (attempt ${attempt}), running it again`);
  }
  const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
    categories: Record<string, { score: number | null }>;
    audits: Record<string, { numericValue?: number; score: number | null }>;
    environment?: { benchmarkIndex?: number };
  };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const perf = Math.round((report.categories.performance?.score ?? 0) * 100);
  const a11y = Math.round((report.categories.accessibility?.score ?? 0) * 100);
  // Where the performance score comes from: the five metrics Lighthouse 12 weighs.
  const metrics = METRICS.map(([id, label]) => {
    const audit = report.audits[id];
    const value = audit?.numericValue ?? Number.NaN;
    const shown = id === "cumulative-layout-shift" ? value.toFixed(3) : `${Math.round(value)} ms`;
    return `${label} ${shown} (${Math.round((audit?.score ?? 0) * 100)})`;
  });
  log(
    `${url}: performance ${perf}, accessibility ${a11y} — ${metrics.join(", ")}; benchmarkIndex ${report.environment?.benchmarkIndex}`,
  );
  return { performance: perf, accessibility: a11y };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      base: { type: "string" },
      runs: { type: "string" },
      chrome: { type: "string" },
      demo: { type: "boolean" },
    },
    strict: true,
  });
  const base = (values.base ?? "http://127.0.0.1:3000").replace(/\/$/, "");
  const runs = positiveInt(values.runs, 1, "runs");
  const chrome = values.chrome ?? process.env.CHROME_PATH ?? "/usr/bin/chromium";
  const load = os.loadavg().map((l) => l.toFixed(2));
  log(`load average ${load.join(" ")} on ${os.cpus().length} cores`);

  const cookie = await signUp(base);
  const slug = await createWorkspace(base, cookie);
  if (values.demo) {
    const seeded = await cliJson(["seed-demo", "--workspace", slug], process.env);
    log(`demo story seeded into ${slug} in ${seeded.ms} ms`);
  }
  const pages: { name: string; url: string; cookie?: string }[] = [
    { name: "sign-in", url: `${base}/sign-in` },
    { name: "blog", url: `${base}/blog/${slug}` },
    { name: "overview", url: `${base}/${slug}`, cookie },
  ];
  const result: Record<string, Scores> = {};
  for (const p of pages) {
    const scores: Scores[] = [];
    for (let i = 0; i < runs; i++) scores.push(await score(p.url, chrome, p.cookie));
    result[p.name] = {
      performance: median(scores.map((s) => s.performance)),
      accessibility: median(scores.map((s) => s.accessibility)),
    };
  }
  process.stdout.write(
    `${JSON.stringify({ benchmark: "lighthouse", runs, demo: Boolean(values.demo), loadAverage: load, pages: result })}\n`,
  );
}

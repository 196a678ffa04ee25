import { type Browser, type BrowserContext, expect, type Page, type Request, test } from "@playwright/test";
import { shot } from "./helpers";
import { dashboardPages, PAGE_CONCURRENCY, publicPages, setUpWorkspace } from "./main-pages";

/*
 * JavaScript budgets per page (issue 15, point 15), as Chromium receives it: the encoded (gzip) bodies
 * of every script the page loads, its idle prefetches included, with the browser's cache off (as a first
 * visit: uncachedTab).
 *
 * The framework floor is measured, not assumed: the scripts that every page loads (React DOM, the App
 * Router, the bundler's runtime, the root layout's theme and error pages). Issue 15 takes it to be
 * 110 kB; with Next 16 and React 19 it is ~136 kB here (a bare `create-next-app` page measures
 * 133–135 kB with either bundler), so "no more than the floor" is checked against the floor itself:
 * the public blog and the sign-in and sign-up pages may add almost nothing to it (measured: the blog
 * 0, sign-in and sign-up 3.1 kB — their form's own script, the card and fields rendered on the
 * server). Dashboard pages keep to the 250 kB (measured 208–248).
 * kB here is 1,024 bytes, as Lighthouse and Next's build output count.
 */
const KB = 1024;
/** The public pages add at most this to the framework floor: no client code but a form's own. */
const PUBLIC_OVER_FLOOR = 4 * KB;
const DASHBOARD_BUDGET = 250 * KB;

type Weight = { total: number; files: { url: string; bytes: number }[] };

type State = Awaited<ReturnType<BrowserContext["storageState"]>>;

/**
 * A tab whose every request goes to the network (DevTools' "Disable cache", by CDP), so each page it
 * opens receives all its scripts, as a first visit does. The tabs of one context share the compiled
 * scripts a fresh context would compile again for every page (about 0.8 CPU-seconds a page here).
 */
async function uncachedTab(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  return page;
}

async function scriptBytes(page: Page, path: string): Promise<Weight> {
  const sizes: Promise<{ url: string; bytes: number }>[] = [];
  const onFinished = (req: Request) => {
    if (req.resourceType() !== "script") return;
    sizes.push(req.sizes().then((s) => ({ url: req.url(), bytes: s.responseBodySize })));
  };
  page.on("requestfinished", onFinished);
  try {
    const res = await page.goto(path, { waitUntil: "load" });
    expect(res?.status(), path).toBe(200);
    // Idle prefetches (next/link, lazy chunks the page asks for at once) count too.
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(500);
  } finally {
    page.off("requestfinished", onFinished);
  }
  const files = await Promise.all(sizes);
  // Each script counted once: a page loads a script once (a second request of the same URL would be
  // the cache's to answer in a real visit).
  const unique = [...new Map(files.map((f) => [f.url, f])).values()];
  const total = unique.reduce((n, f) => n + f.bytes, 0);
  return { total, files: unique.sort((a, b) => b.bytes - a.bytes) };
}

/** Each path's weight, PAGE_CONCURRENCY tabs at a time, in one context with `state`'s session. */
async function weighAll(browser: Browser, paths: string[], state?: State): Promise<Map<string, Weight>> {
  const ctx = await browser.newContext({ storageState: state, viewport: { width: 1280, height: 900 } });
  const tabs = await Promise.all(
    Array.from({ length: Math.min(PAGE_CONCURRENCY, paths.length) }, () => uncachedTab(ctx)),
  );
  const out = new Map<string, Weight>();
  const remaining = [...paths];
  await Promise.all(
    tabs.map(async (tab) => {
      for (let path = remaining.shift(); path !== undefined; path = remaining.shift())
        out.set(path, await scriptBytes(tab, path));
    }),
  );
  await ctx.close();
  return out;
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} kB`;

function report(name: string, path: string, r: Weight, floor: number) {
  const biggest = r.files
    .slice(0, 5)
    .map((f) => `    ${kb(f.bytes).padStart(9)}  ${new URL(f.url).pathname}`)
    .join("\n");
  console.log(
    `${name.padEnd(22)} ${kb(r.total).padStart(9)} (floor + ${kb(r.total - floor)}) in ${r.files.length} scripts  ${path}\n${biggest}`,
  );
}

/** The scripts every page loaded (same URL, so the same bytes): the framework's own. */
function frameworkFloor(weights: Weight[]): number {
  const [first, ...rest] = weights.map(
    (w) => new Map(w.files.map((f) => [new URL(f.url).pathname, f.bytes])),
  );
  let total = 0;
  for (const [url, bytes] of first ?? []) if (rest.every((m) => m.has(url))) total += bytes;
  return total;
}

test("page weight: the blog and sign-in add ≤ 4 kB to the framework floor, dashboard pages ≤ 250 kB of gzipped JavaScript", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const slug = await setUpWorkspace(page, "weight");
  const signedIn = await ctx.storageState();
  await ctx.close();

  const publicWeights = await weighAll(
    browser,
    publicPages(slug).map((p) => p.path),
  );
  const dashboardWeights = await weighAll(
    browser,
    dashboardPages(slug).map((p) => p.path),
    signedIn,
  );
  const pages = [
    ...publicPages(slug).map((p) => ({ ...p, kind: "public" as const, weight: publicWeights.get(p.path)! })),
    ...dashboardPages(slug).map((p) => ({
      ...p,
      kind: "dashboard" as const,
      weight: dashboardWeights.get(p.path)!,
    })),
  ];

  const floor = frameworkFloor(pages.map((p) => p.weight));
  console.log(`framework floor (the scripts every page loads): ${kb(floor)}`);
  const over: string[] = [];
  for (const p of pages) {
    report(p.name, p.path, p.weight, floor);
    // Scripts did load (a page that failed to render would pass any budget).
    expect(p.weight.files.length, p.name).toBeGreaterThan(0);
    const budget = p.kind === "public" ? floor + PUBLIC_OVER_FLOOR : DASHBOARD_BUDGET;
    if (p.weight.total > budget) over.push(`${p.name}: ${kb(p.weight.total)} > ${kb(budget)}`);
  }
  // The floor is React and the router, not a page's code: a floor that grew would hide it.
  expect(floor, "framework floor").toBeLessThan(140 * KB);
  expect(over, "pages over their JavaScript budget").toEqual([]);
});

test("Overview: the first paint has the figures (prefetched on the server, not fetched by the browser)", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const slug = await setUpWorkspace(page, "paint");
  // The blog post just published reaches the rollups at the next rollup tick (5 s for the test
  // server, a minute by default). Wait for it on a first visit.
  await expect(async () => {
    await page.goto(`/${slug}`, { waitUntil: "domcontentloaded" });
    await expect(page.getByTestId("published-metric-value")).toHaveText("1", { timeout: 2_000 });
  }).toPass({ timeout: 150_000 });
  // The measured visit is in a tab of its own: the first visit's tab still listens to live events,
  // and a rollup run announced to it would refetch there, after the route below is set.
  await page.close();
  const measured = await ctx.newPage();
  // The browser may not ask for the figures: they must come with the page.
  const asked: string[] = [];
  await measured.route(/\/api\/trpc\/.*analytics\.overview/, (route) => {
    asked.push(route.request().url());
    return route.abort();
  });
  // Without live updates for the visit measured: each rollup run tells open Overviews to refetch
  // (rightly) for every workspace it wrote, and it writes this one again on every run for its
  // two-minute overlap. The question here is only what the page asks for by itself. (A reconnect
  // refetches content and notifications, never analytics: hooks/use-live-events.ts.)
  await measured.route(/\/api\/sse\b/, (route) => route.abort());
  const res = await measured.goto(`/${slug}`, { waitUntil: "domcontentloaded" });
  // The server's HTML itself carries the figures: that is the first paint, before any script runs.
  const html = (await res?.text()) ?? "";
  expect(html).toMatch(/data-testid="published-metric-value"[^>]*>1</);
  await shot(measured, "overview-first-paint");
  const figures = measured.getByRole("region", { name: "Key figures" });
  await expect(figures.getByTestId("revenue-metric-value")).toHaveText(/\d/);
  await expect(figures.getByTestId("leads-metric-value")).toHaveText("0");
  await expect(figures.getByTestId("published-metric-value")).toHaveText("1");
  await expect(figures.locator('[data-slot="skeleton"]')).toHaveCount(0);
  await expect(measured.getByText("Nothing scheduled.")).toBeVisible();
  await measured.waitForLoadState("networkidle");
  expect(asked, "the Overview's figures were fetched by the browser").toEqual([]);
  await ctx.close();
});

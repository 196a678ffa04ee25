import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { shot } from "./helpers";
import { dashboardPages, publicPages, setUpWorkspace } from "./main-pages";

/*
 * axe-core on every main page (issue 15, point 16): no violations of WCAG 2.x A/AA and axe's best
 * practices, in light mode on a desktop and in dark mode on a phone.
 */
type State = Awaited<ReturnType<BrowserContext["storageState"]>>;

/**
 * axe's own run in the page (`setLegacyMode`): it checks the page and its same-origin frames (it
 * is injected into every frame; checked: an image without alt text in a `srcdoc` frame is found).
 * The default mode runs axe in each frame and then again in a new blank tab to merge the results,
 * injecting axe's 500 kB twice a page: 85 s of this walk's 155, against 49 s so. Only violations
 * are read, so only they are detailed (`resultTypes`).
 */
async function violations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .setLegacyMode()
    .options({ resultTypes: ["violations"] })
    .analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 4)
        .map(
          (n) => `      ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`,
        )
        .join("\n")}`,
  );
}

/**
 * Every page in one browser context per scheme (light on a desktop, dark on a phone), one after
 * another: each page is a full navigation (`goto`), but the scripts the pages share are compiled once
 * per context rather than once per page (a new context per page cost about 1.8 CPU-seconds a page
 * against 1.0 here).
 */
async function walk(browser: Browser, pages: { name: string; path: string }[], state?: State) {
  const found: string[] = [];
  for (const [scheme, width] of [
    ["light", 1280],
    ["dark", 390],
  ] as const) {
    const ctx = await browser.newContext({
      storageState: state,
      colorScheme: scheme,
      viewport: { width, height: 900 },
    });
    const page = await ctx.newPage();
    for (const { name, path } of pages) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await page.waitForLoadState("networkidle");
      // The page is there (a blank error page has nothing to fail on).
      await expect(page.getByRole("main").first()).toBeVisible();
      // Transitions under way run to their end first: a button enabled a moment ago is still fading
      // in from its disabled opacity (CI once measured the Amazon card's Connect at contrast 2.08).
      await page.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((a) => a.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY)
            .map((a) => a.finished.catch(() => undefined)),
        ),
      );
      for (const v of await violations(page)) found.push(`${name} [${scheme} ${width}px] ${v}`);
      if (scheme === "light" && name === "Overview") await shot(page, "a11y-overview");
    }
    await ctx.close();
  }
  return found;
}

test("accessibility: axe finds no violations on the main pages", async ({ browser }) => {
  test.setTimeout(600_000);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const slug = await setUpWorkspace(page, "a11y");
  const signedIn = await ctx.storageState();
  await ctx.close();

  const found = [
    ...(await walk(browser, publicPages(slug))),
    ...(await walk(browser, dashboardPages(slug), signedIn)),
  ];
  expect(found, found.join("\n")).toEqual([]);
});

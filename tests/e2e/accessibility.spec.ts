import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { shot } from "./helpers";
import { dashboardPages, publicPages, setUpWorkspace } from "./main-pages";

/*
 * axe-core on every main page (issue 15, point 16): no violations of WCAG 2.x A/AA and axe's best
 * practices, in light mode on a desktop and in dark mode on a phone.
 */
type State = Awaited<ReturnType<BrowserContext["storageState"]>>;

async function violations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
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

async function check(browser: Browser, path: string, name: string, state?: State) {
  const found: string[] = [];
  for (const [scheme, width] of [
    ["light", 1280],
    ["dark", 390],
  ] as const) {
    {
      const ctx = await browser.newContext({
        storageState: state,
        colorScheme: scheme,
        viewport: { width, height: 900 },
      });
      const page = await ctx.newPage();
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await page.waitForLoadState("networkidle");
      // The page is there (a blank error page has nothing to fail on).
      await expect(page.getByRole("main").first()).toBeVisible();
      for (const v of await violations(page)) found.push(`${name} [${scheme} ${width}px] ${v}`);
      if (scheme === "light" && width === 1280 && name === "Overview") await shot(page, "a11y-overview");
      await ctx.close();
    }
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

  const found: string[] = [];
  for (const p of publicPages(slug)) found.push(...(await check(browser, p.path, p.name)));
  for (const p of dashboardPages(slug)) found.push(...(await check(browser, p.path, p.name, signedIn)));
  expect(found, found.join("\n")).toEqual([]);
});

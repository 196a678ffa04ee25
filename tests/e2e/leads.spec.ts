import { expect, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

const CSV = [
  "Email Address,First Name,Tags",
  "  Ann@Example.test ,Ann,vip",
  'bob@example.test,Bob,"vip,fan"',
  "cat@example.test,Cat,fan",
  "not-an-email,Dan,vip",
  "ann@example.test,Ann again,fan",
  "",
].join("\r\n");

test("leads: import a CSV through the mapping step, then build a segment with a live count", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Lena Leads", email: uniqueEmail("leads"), password: "correct horse battery" },
    `Lead Farm ${Date.now().toString(36).slice(-4)}`,
  );

  // --- upload → mapping (auto-mapped from the export's headers) → import ---
  await page.goto(`/${slug}/leads/import`);
  await page.getByTestId("import-file").setInputFiles({
    name: "contacts.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`\uFEFF${CSV}`, "utf8"),
  });
  await expect(page.getByTestId("import-start")).toBeVisible();
  await expect(page.getByTestId("import-mapping-email")).toContainText("Email Address");
  await expect(page.getByText("bob@example.test")).toBeVisible();
  await shot(page, "leads-01-import-mapping");
  await page.getByTestId("import-start").click();
  await expect(page.getByTestId("import-result")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("import-imported")).toHaveText("3");
  await expect(page.getByTestId("import-invalid")).toHaveText("2"); // a bad address and an in-file duplicate
  await expect(page.getByTestId("download-rejected")).toBeVisible();
  await shot(page, "leads-02-import-result");

  // --- the leads are in the table, normalized ---
  await page.goto(`/${slug}/leads`);
  await expect(page.getByTestId("leads-table")).toBeVisible();
  for (const email of ["ann@example.test", "bob@example.test", "cat@example.test"]) {
    await expect(page.getByTestId(`lead-row-${email}`)).toBeVisible();
  }
  await expect(page.getByTestId("lead-row-not-an-email")).toHaveCount(0);
  await shot(page, "leads-03-table");

  // --- Segments are in the navigation (no typing the address) ---
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Segments" }).click();
  await page.waitForURL(new RegExp(`/${slug}/leads/segments$`));
  await expect(nav.getByRole("link", { name: "Segments" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Leads" })).not.toHaveAttribute("aria-current", "page");
  await shot(page, "leads-03b-segments-nav");

  // --- a segment: leads tagged vip → 2, live while editing ---
  await page.goto(`/${slug}/leads/segments/new`);
  await page.getByTestId("segment-name").fill("VIPs");
  await page.getByTestId("segment-add-condition").click();
  await page.getByLabel("Condition 1 tag").fill("vip");
  await expect(page.getByTestId("segment-count")).toContainText("2");
  await shot(page, "leads-04-segment");
  await page.getByTestId("segment-save").click();
  await expect(page.getByText("Segment saved")).toBeVisible();
  await page.waitForURL(/\/leads\/segments\/[0-9a-f-]{36}$/);
  await ctx.close();
});

test("a CSV chosen before the import page finished loading is still uploaded", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    {
      name: "Early Picker",
      email: uniqueEmail("early"),
      password: "correct horse battery",
    },
    `Early ${Date.now().toString(36).slice(-4)}`,
  );

  // Hold the page's scripts back (routing also bypasses the browser's cache) until the file is
  // chosen. Not its stylesheets: an inline script waits for those, and the page would not parse.
  let release!: () => void;
  const scriptsHeld = new Promise<void>((r) => {
    release = r;
  });
  await page.route("**/_next/static/chunks/**/*.js", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto(`/${slug}/leads/import`, { waitUntil: "commit" });
  await page.getByTestId("import-file").setInputFiles({
    name: "contacts.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(CSV, "utf8"),
  });
  release();
  await expect(page.getByTestId("import-start")).toBeVisible();
  await expect(page.getByTestId("import-mapping-email")).toContainText("Email Address");
  await ctx.close();
});

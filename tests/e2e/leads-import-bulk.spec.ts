import { expect, type Page, test } from "@playwright/test";
import { SHOTS, shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

// Issue 15, point 12: unmatched columns are kept as custom fields (or ignored, and listed), and
// "Select all N matching" applies a bulk action to every lead the filters match.
const FAIR = 60;
const CSV = [
  "Email,Name,Source,Company,Notes",
  ...Array.from({ length: FAIR }, (_, i) => `fair${i}@bulk.test,Fair ${i},fair,Company ${i},note ${i}`),
  ...Array.from({ length: 5 }, (_, i) => `web${i}@bulk.test,Web ${i},web,Web Co ${i},`),
  "",
].join("\n");

async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

test("leads: an unmatched Company column is kept as a custom field; select all N matching → bulk tag", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Bea Bulk", email: uniqueEmail("bulk"), password: "correct horse battery" },
    `Bulk Farm ${Date.now().toString(36).slice(-4)}`,
  );

  // --- mapping: Company and Notes are offered as custom fields; Notes is ignored, and listed ---
  await page.goto(`/${slug}/leads/import`);
  await page.getByTestId("import-file").setInputFiles({
    name: "fair.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(CSV, "utf8"),
  });
  await expect(page.getByTestId("import-start")).toBeVisible();
  await expect(page.getByTestId("import-keep-company")).toContainText("Keep as custom field");
  await expect(page.getByTestId("import-keep-notes")).toContainText("Keep as custom field");
  await expect(page.getByTestId("import-ignored")).toHaveText(
    "No column will be ignored: every column is imported.",
  );
  await choose(page, "import-keep-notes", "Ignore");
  await expect(page.getByTestId("import-ignored")).toHaveText("1 column will be ignored: Notes");
  await expect(page.getByTestId("import-new-fields")).toHaveText("New custom fields: Company (text)");
  await shot(page, "leads-import-bulk-01-mapping");
  await page.getByTestId("import-start").click();
  await expect(page.getByTestId("import-result")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("import-imported")).toHaveText(String(FAIR + 5));

  // --- the lead shows its Company; Notes was not stored ---
  await page.goto(`/${slug}/leads?q=fair7%40bulk.test`);
  await page.getByRole("link", { name: "fair7@bulk.test" }).click();
  const company = page.locator("dt", { hasText: /^Company$/ }).locator("xpath=following-sibling::dd");
  await expect(company).toHaveText("Company 7");
  await expect(page.getByText("note 7")).toHaveCount(0);
  await shot(page, "leads-import-bulk-02-lead-company");

  // --- select the page, then all N matching the filter; tag them all ---
  await page.goto(`/${slug}/leads?source=fair`);
  await expect(page.getByTestId("leads-count")).toHaveText(`Showing 50 of ${FAIR} leads`);
  await page.getByTestId("bulk-select-all").click();
  await expect(page.getByTestId("bulk-count")).toHaveText("50 selected");
  await expect(page.getByTestId("bulk-select-matching")).toHaveText(
    `Select all ${FAIR} leads matching these filters`,
  );
  await page.getByTestId("bulk-bar").screenshot({ path: `${SHOTS}/leads-import-bulk-03a-select-page.png` });
  await page.getByTestId("bulk-select-matching").click();
  await expect(page.getByTestId("bulk-count")).toHaveText(
    `All ${FAIR} leads matching these filters selected`,
  );
  await shot(page, "leads-import-bulk-03-select-all");
  await page.getByTestId("bulk-add-tag").click();
  await expect(page.getByText(`To all ${FAIR} matching leads.`)).toBeVisible();
  await page.getByTestId("bulk-tag-input").fill("fair-2026");
  await page.getByTestId("bulk-tag-apply").click();
  await expect(page.getByText(`Tagged ${FAIR} with “fair-2026”`)).toBeVisible();

  // --- all N are tagged, and only they ---
  await page.goto(`/${slug}/leads?tag=fair-2026`);
  await expect(page.getByTestId("leads-count")).toHaveText(`Showing 50 of ${FAIR} leads`);
  await expect(page.getByTestId("lead-row-web0@bulk.test")).toHaveCount(0);

  // --- deleting all matching names N before anything happens ---
  await page.goto(`/${slug}/leads?source=web`);
  await expect(page.getByTestId("leads-count")).toHaveText("Showing 5 of 5 leads");
  await page.getByTestId("bulk-select-all").click();
  await expect(page.getByTestId("bulk-select-matching")).toHaveCount(0);
  await page.getByTestId("bulk-delete").click();
  await expect(page.getByRole("alertdialog")).toContainText("Delete 5 leads?");
  await page.getByTestId("bulk-delete-confirm").click();
  await expect(page.getByText("Deleted 5 leads")).toBeVisible();
  await ctx.close();
});

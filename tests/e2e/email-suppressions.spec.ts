import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

test("email: the suppression list — empty state, add by hand, import a CSV, search, filter, export, remove", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Sam Suppress", email: uniqueEmail("supp"), password: "correct horse battery" },
    `Quiet Co ${Date.now().toString(36).slice(-4)}`,
  );

  // found from Email
  await page.goto(`/${slug}/email`);
  await page.getByTestId("open-suppressions").click();
  await page.waitForURL(new RegExp(`/${slug}/email/suppressions$`));
  await expect(page.getByRole("heading", { name: "Suppression list" })).toBeVisible();
  await expect(page.getByText("No one is suppressed yet")).toBeVisible();
  await shot(page, "suppressions-empty");

  // add: a bad value is refused on the field, a good one lands in the table
  await page.getByTestId("add-suppression").click();
  await page.getByTestId("suppression-value").fill("not an address");
  await page.getByTestId("suppression-add-submit").click();
  await expect(page.getByText("Not an email address or a domain")).toBeVisible();
  await shot(page, "suppressions-add-refused");
  await page.getByTestId("suppression-value").fill("Former.Customer@Example.com");
  await page.getByLabel("Note (optional)").fill("Asked us by phone");
  await page.getByTestId("suppression-add-submit").click();
  await expect(page.getByTestId("suppression-row")).toHaveCount(1);
  await expect(page.getByTestId("suppression-row").first()).toContainText("former.customer@example.com");

  // import a CSV with a header, a domain, a duplicate and two bad rows
  await page.getByTestId("import-suppressions").click();
  await page.getByTestId("suppression-file").setInputFiles({
    name: "old-tool.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      [
        "email,reason,note",
        "bounced.once@example.org,bounced,from the old tool",
        "spammy-domain.test,,",
        "former.customer@example.com,,",
        "nobody at all,,",
        '"=HYPERLINK(""http://evil.test"")",,',
      ].join("\n"),
    ),
  });
  await page.getByTestId("suppression-import-submit").click();
  const result = page.getByTestId("suppression-import-result");
  await expect(result).toContainText("2 added, 1 already on the list, 2 not an address or domain");
  await expect(result).toContainText("Line 5");
  await shot(page, "suppressions-import-result");
  await result.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("suppression-row")).toHaveCount(3);
  // the dialog has closed (not fading out over the list) before the picture is taken
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await shot(page, "suppressions-list");

  // search and filter
  await page.getByTestId("suppression-search").fill("spammy");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("suppression-row")).toHaveCount(1);
  await expect(page.getByTestId("suppression-row").first()).toContainText("domain");
  await page.getByTestId("suppression-search").fill("");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.getByTestId("suppression-reason-filter").click();
  await page.getByRole("option", { name: "Bounced" }).click();
  await expect(page.getByTestId("suppression-row")).toHaveCount(1);
  await expect(page.getByTestId("suppression-row").first()).toContainText("bounced.once@example.org");
  await page.getByTestId("suppression-reason-filter").click();
  await page.getByRole("option", { name: "Every reason" }).click();
  await expect(page.getByTestId("suppression-row")).toHaveCount(3);

  // export: a CSV of the list
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-suppressions").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^suppressions-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv.split("\n")[0]).toBe("value,kind,reason,note,campaign,created_at");
  expect(csv).toContain("spammy-domain.test,domain,imported");

  // remove, with a confirmation that says the lead is not reactivated
  const row = page.getByTestId("suppression-row").filter({ hasText: "former.customer@example.com" });
  await row.getByTestId("remove-suppression").click();
  await expect(page.getByRole("alertdialog")).toContainText("does not make the lead active again");
  await shot(page, "suppressions-remove-confirm");
  await page.getByTestId("confirm-remove-suppression").click();
  await expect(page.getByTestId("suppression-row")).toHaveCount(2);

  // Settings → Delivery links to it
  await page.goto(`/${slug}/settings/delivery`);
  await page.getByTestId("open-suppressions-settings").click();
  await page.waitForURL(new RegExp(`/${slug}/email/suppressions$`));
  await ctx.close();
});

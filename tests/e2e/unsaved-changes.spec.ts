import { expect, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/* Leaving an editor with unsaved changes asks first (issue 15, item 11). */

test("an editor with unsaved changes asks before a link leaves it; saved, it does not", async ({ page }) => {
  const { slug: ws } = await signUpWithWorkspace(
    page,
    { name: "Una Saved", email: uniqueEmail("unsaved"), password: "correct horse battery" },
    "Unsaved Goods",
  );
  await page.goto(`/${ws}/content/new?type=blog`);
  await expect(page.getByTestId("title-input")).toBeEditable();
  await page.getByTestId("title-input").fill("Half-written thoughts");

  const leads = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads" });
  const questions: string[] = [];
  // No: stay, with the text still there.
  page.once("dialog", (d) => {
    questions.push(d.message());
    void d.dismiss();
  });
  await leads.click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain("unsaved changes");
  await expect(page).toHaveURL(/\/content\/new\?type=blog$/);
  await expect(page.getByTestId("title-input")).toHaveValue("Half-written thoughts");
  await shot(page, "unsaved-01-stayed");

  // Saved: nothing to ask.
  await page.getByTestId("save-content").click();
  await page.waitForURL(/\/content\/[0-9a-f-]{36}$/);
  await expect(page.getByText("All changes saved")).toBeVisible();
  page.on("dialog", (d) => {
    questions.push(d.message());
    void d.accept();
  });
  await leads.click();
  await page.waitForURL(new RegExp(`/${ws}/leads$`));
  expect(questions).toHaveLength(1);

  // Yes: leave.
  await page.goBack();
  await page.getByTestId("title-input").fill("Changed again");
  await leads.click();
  await page.waitForURL(new RegExp(`/${ws}/leads$`));
  expect(questions).toHaveLength(2);
});

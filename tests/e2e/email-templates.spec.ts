import { expect, type Page, test } from "@playwright/test";
import { shot, signUpWithWorkspace, trpcPost, uniqueEmail } from "./helpers";

const PASSWORD = "correct horse battery";
const CAMPAIGN_PATH = /\/email\/([0-9a-f-]{36})$/;

async function newOneTimeCampaign(page: Page, slug: string) {
  await page.goto(`/${slug}/email`);
  await page.getByTestId("new-campaign").click();
  await page.getByTestId("new-campaign-one-time").click();
  await page.waitForURL(/\/email\/new\?type=one-time/);
}

/**
 * "Add block", then the kind. The menu opens on pointer-down; in CI runs it was sometimes closed again
 * between the opening and the click on the item (the first click also loads the menu's code: the
 * trigger is replaced by the loaded one as it opens). So the opening and the click are retried as one
 * step, and the trigger is clicked only while the menu is closed: a click on an open menu's trigger
 * closes it.
 */
async function addBlock(page: Page, kind: "button" | "product") {
  const trigger = page.getByTestId("add-block");
  const item = page.getByTestId(`add-block-${kind}`);
  await expect(async () => {
    if ((await trigger.getAttribute("aria-expanded")) !== "true") await trigger.click();
    await item.click({ timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
}

test("email: build a block email, preview it (desktop and phone), save it as a template, start a new email from it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug, workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Blake Blocks", email: uniqueEmail("blocks"), password: PASSWORD },
    `Blocks Co ${Date.now().toString(36).slice(-4)}`,
  );
  await trpcPost(page, "email.sender.update", {
    workspaceId,
    fromName: "Blocks Co",
    fromEmail: "hello@blocks.test",
    replyTo: "",
    postalAddress: "4 Quay Street, Bristol BS1 4DJ, United Kingdom",
    sendRatePerSecond: 0,
  });
  await trpcPost(page, "workspace.brand.update", {
    workspaceId,
    brandVoice: "",
    products: [{ name: "Linen tote", description: "", url: "https://blocks.test/tote", price: "£18" }],
  });

  // --- a one-time campaign switched to blocks: starter heading, text and footer ---
  await newOneTimeCampaign(page, slug);
  await page.getByTestId("campaign-name").fill("Autumn picks");
  await page.getByTestId("step-subject").fill("Autumn picks for {{first_name|you}}");
  await page.getByTestId("step-format-blocks").click();
  await expect(page.getByTestId("step-body")).toHaveCount(0);
  const editor = page.getByTestId("block-editor");
  await editor.getByTestId("block-heading-text").fill("Autumn is here, {{first_name|friend}}");
  await editor
    .getByTestId("block-text-text")
    .fill("Three **new** things we love. [Read the story](https://blocks.test/story)");

  // a button and a product card from the catalogue; new blocks go before the footer
  await addBlock(page, "button");
  await editor.getByTestId("block-button-label").fill("Shop autumn");
  await editor.getByTestId("block-button-url").fill("https://blocks.test/autumn");
  await addBlock(page, "product");
  // a new product card has no link yet: the preview says so (and keeps the last render) until one is picked
  await expect(page.getByTestId("preview-error")).toContainText("https://");
  await editor.getByTestId("block-product-pick").selectOption("Linen tote");
  await expect(editor.getByTestId("block-product-pick")).toHaveValue("Linen tote");
  await expect(editor.getByTestId("block-4")).toContainText("Footer");

  // --- the live preview is the MJML-rendered email, footer included ---
  const preview = page.frameLocator('iframe[title="Email preview"]');
  await expect(preview.getByRole("heading", { name: /Autumn is here/ })).toBeVisible();
  await expect(preview.getByRole("link", { name: "Shop autumn" })).toBeVisible();
  await expect(preview.getByText("Linen tote")).toBeVisible();
  await expect(preview.getByText("£18")).toBeVisible();
  await expect(preview.getByText(/4 Quay Street/)).toBeVisible();
  await expect(preview.getByRole("link", { name: "Unsubscribe" })).toBeVisible();
  await page.getByTestId("campaign-preview").scrollIntoViewIfNeeded();
  // the viewport, not the full page: the product card's fields beside the live preview
  await page.screenshot({ path: "tests/artifacts/screenshots/email-templates-editor-desktop.png" });
  await page.getByTestId("preview-mobile").click();
  await expect(preview.getByText("Linen tote")).toBeVisible();
  await page
    .getByTestId("campaign-preview")
    .screenshot({ path: "tests/artifacts/screenshots/email-templates-preview-mobile.png" });

  // a bad link: the preview says why it cannot render
  await editor.getByTestId("block-button-url").fill("javascript:alert(1)");
  await expect(page.getByTestId("preview-error")).toContainText("https://");
  await editor.getByTestId("block-button-url").fill("https://blocks.test/autumn");
  await expect(page.getByTestId("preview-error")).toHaveCount(0);

  await page.getByTestId("campaign-save").click();
  await page.waitForURL(CAMPAIGN_PATH);

  // --- save as template ---
  await page.getByTestId("save-template").click();
  await expect(page.getByTestId("template-name")).toHaveValue("Autumn picks for {{first_name|you}}");
  await page.getByTestId("template-name").fill("Autumn newsletter");
  await page.getByTestId("save-template-submit").click();
  await expect(page.getByText('Saved as template "Autumn newsletter"')).toBeVisible();

  // --- a new campaign started from it: blocks, subject and content copied ---
  await newOneTimeCampaign(page, slug);
  await page.getByTestId("campaign-name").fill("Autumn again");
  await page.getByTestId("start-from-template").click();
  await page
    .getByTestId("template-picker")
    .getByTestId("template-option")
    .filter({ hasText: "Autumn newsletter" })
    .click();
  await expect(page.getByTestId("step-format-blocks")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("step-subject")).toHaveValue("Autumn picks for {{first_name|you}}");
  await expect(page.getByTestId("block-editor").getByTestId("block-heading-text")).toHaveValue(
    "Autumn is here, {{first_name|friend}}",
  );
  await expect(preview.getByText("Linen tote")).toBeVisible();
  await page.getByTestId("campaign-save").click();
  await page.waitForURL(CAMPAIGN_PATH);
  await expect(page.getByTestId("block-editor").getByTestId("block-button-label")).toHaveValue("Shop autumn");

  // --- Email → Templates lists it; a narrow phone view of the editor ---
  await page.goto(`/${slug}/email/templates`);
  await expect(page.getByTestId("template-row")).toHaveCount(1);
  await expect(page.getByTestId("template-row")).toContainText("Autumn newsletter");
  await expect(page.getByTestId("template-row")).toContainText("Blocks");
  await shot(page, "email-templates-list");

  await page.getByRole("button", { name: "Rename Autumn newsletter" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Autumn 2026");
  await page.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(page.getByTestId("template-row")).toContainText("Autumn 2026");

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    storageState: await ctx.storageState(),
  });
  const small = await phone.newPage();
  await small.goto(page.url().replace(/\/email\/templates$/, "/email"));
  await small.getByRole("link", { name: "Autumn again" }).first().click();
  await small.waitForURL(CAMPAIGN_PATH);
  await expect(small.getByTestId("block-editor")).toBeVisible();
  await expect(small.frameLocator('iframe[title="Email preview"]').getByText("Linen tote")).toBeVisible();
  await shot(small, "email-templates-editor-phone");
  // Chromium does not paint an off-screen sandboxed (cross-origin) frame, so the full-page capture
  // shows the preview blank: capture it on its own too, once it has been on screen for a moment.
  await small.getByTestId("campaign-preview").scrollIntoViewIfNeeded();
  await small.waitForTimeout(1000);
  await small
    .getByTestId("campaign-preview")
    .screenshot({ path: "tests/artifacts/screenshots/email-templates-preview-phone.png" });
  await phone.close();
  await ctx.close();
});

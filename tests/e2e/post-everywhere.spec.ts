import { expect, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

const UUID_PATH = /\/content\/([0-9a-f-]{36})$/;

/** A small file that sniffs as MP4: an `ftyp` box, then filler in an `mdat` box. */
function mp4(bytes: number) {
  const ftyp = Buffer.from("000000186674797069736f6d0000020069736f6d6d703431", "hex");
  const mdat = Buffer.alloc(bytes - ftyp.length, 0x11);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write("mdat", 4, "ascii");
  return Buffer.concat([ftyp, mdat]);
}

test("post everywhere: a TikTok draft becomes linked YouTube and Instagram drafts, shown as one group", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    {
      name: "Evan Everywhere",
      email: uniqueEmail("pe"),
      password: "correct-horse-battery",
    },
    `Moon Mug Everywhere ${Date.now().toString(36).slice(-4)}`,
  );

  // --- a TikTok draft with a video uploaded to the media library
  await page.goto(`/${slug}/content/new?type=tiktok`);
  await expect(page.getByTestId("title-input")).toBeEditable();
  await page.getByTestId("title-input").fill("Moon Mug in 15 seconds");
  await page.getByTestId("body-input").fill("The mug that keeps coffee hot for hours #moonmug #coffee");
  await page.getByRole("button", { name: "Media library" }).click();
  const picker = page.getByTestId("media-picker");
  await picker.getByTestId("media-file-input").setInputFiles({
    name: "moon-mug.mp4",
    mimeType: "video/mp4",
    buffer: mp4(256 * 1024),
  });
  await expect(picker.getByTestId("media-picker-use")).toBeEnabled();
  await picker.getByTestId("media-picker-use").click();
  await expect(page.getByTestId("video-url-input")).toHaveValue(/\/api\/media\//);
  await page.getByTestId("save-content").click();
  await page.waitForURL(UUID_PATH);
  await expect(page.getByTestId("status-badge")).toHaveText("Draft");
  const id = UUID_PATH.exec(new URL(page.url()).pathname)![1]!;

  // --- the dialog: TikTok is "this post", the other two are picked, the video is the post's own
  await page.getByTestId("post-everywhere").click();
  const dialog = page.getByTestId("post-everywhere-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("pe-platform-tiktok")).toContainText("This post");
  await expect(dialog.getByTestId("pe-check-tiktok")).toBeDisabled();
  await expect(dialog.getByTestId("pe-check-youtube")).toBeChecked();
  await expect(dialog.getByTestId("pe-check-instagram")).toBeChecked();
  await expect(dialog.getByTestId("pe-video")).toContainText("Video:");
  await expect(dialog.getByTestId("pe-made-for-kids")).toBeVisible();

  // Words: the post's own (fitted) unless asked to write them per platform — here by the offline
  // template writer, as this server has no AI endpoint.
  await expect(dialog.getByTestId("pe-words-fitted")).toBeChecked();
  await dialog.getByTestId("pe-words-write").check();
  await expect(dialog.getByTestId("pe-words")).toContainText("offline template writer");
  await shot(page, "post-everywhere-words");

  // Scheduling asks the made-for-kids question first, then the server's refusal is shown in words
  // (YouTube and Instagram are not connected here).
  await dialog.getByTestId("pe-when-together").check();
  await expect(dialog.getByTestId("pe-schedule-date")).toBeVisible();
  await dialog.getByTestId("pe-submit").click();
  await expect(dialog.getByTestId("pe-made-for-kids")).toContainText("YouTube requires it");
  await dialog.getByTestId("pe-kids-no").check();
  await dialog.getByTestId("pe-submit").click();
  await expect(dialog.getByTestId("pe-error")).toBeVisible();
  await expect(dialog.getByTestId("pe-error")).not.toBeEmpty();
  await shot(page, "post-everywhere-dialog");

  // Drafts need no connection.
  await dialog.getByTestId("pe-when-draft").check();
  await expect(dialog.getByTestId("pe-error")).toHaveCount(0);
  await dialog.getByTestId("pe-submit").click();
  await expect(page.getByText("Created 2 drafts")).toBeVisible();
  await expect(
    page.getByText(
      "The offline template writer wrote the words for YouTube Shorts and Instagram Reels, as no AI endpoint is connected.",
      { exact: false },
    ),
  ).toBeVisible();
  await expect(dialog).toBeHidden();

  // --- the editor's strip: the two other platforms, as drafts, linking to their editors
  const strip = page.getByTestId("platform-group");
  await expect(strip).toContainText("Also posted to");
  await expect(strip.getByTestId("group-member-youtube")).toContainText("Draft");
  await expect(strip.getByTestId("group-member-instagram")).toContainText("Draft");
  await expect(page.getByTestId("post-everywhere")).toHaveCount(0); // every platform has its post
  await shot(page, "post-everywhere-group");

  // A sibling's editor shows the TikTok post in its strip.
  await strip.getByTestId("group-member-youtube").getByRole("link", { name: "Open editor" }).click();
  await page.waitForURL(UUID_PATH);
  await expect(page.getByTestId("platform-group").getByTestId("group-member-tiktok")).toBeVisible();
  await expect(page.getByTestId("platform-group").getByTestId("group-member-instagram")).toBeVisible();
  // Who wrote the words is the editor's to say, not the caption's.
  await expect(page.getByTestId("offline-generator-banner")).toBeVisible();
  await expect(page.getByTestId("body-input")).toHaveValue(/The mug that keeps coffee hot for hours/);
  await expect(page.getByTestId("body-input")).not.toHaveValue(/offline|template/i);

  // --- the list: one row for the video, with each platform's status
  await page.goto(`/${slug}/content`);
  const rows = page.getByTestId("content-table").locator('[data-testid^="content-row-"]');
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  await expect(row).toHaveAttribute("data-group", /[0-9a-f-]{36}/);
  const chips = row.getByTestId("group-chips").filter({ visible: true });
  await expect(chips.locator('[data-testid^="group-chip-"]')).toHaveCount(3);
  await expect(chips.locator('[data-testid^="group-chip-"]').first()).toHaveAttribute(
    "href",
    `/${slug}/content/${id}`,
  );
  for (const type of ["tiktok", "youtube", "instagram"]) {
    await expect(chips.getByTestId(`group-chip-${type}`)).toContainText("Draft");
  }
  await shot(page, "post-everywhere-list");
  await ctx.close();
});

import { expect, type Page, test } from "@playwright/test";
import { createFirstWorkspace, shot, signUp, uniqueEmail } from "./helpers";

const PASSWORD = "correct horse battery";
const UUID_PATH = /\/content\/([0-9a-f-]{36})$/;

/** "YYYY-MM-DD", `days` from today (UTC). Three days out is in the future in every time zone. */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function savedId(page: Page): Promise<string> {
  await page.waitForURL(UUID_PATH);
  await expect(page.getByTestId("status-badge")).toBeVisible();
  return UUID_PATH.exec(new URL(page.url()).pathname)![1]!;
}

async function newContent(page: Page, type: "tiktok" | "blog" | "email") {
  await page.getByTestId("new-content").click();
  await page.getByTestId(`new-${type}`).click();
  await page.waitForURL(new RegExp(`/content/new\\?type=${type}`));
  await expect(page.getByTestId("title-input")).toBeEditable();
}

test("content hub: write each type, schedule, drag on the calendar, publish to the blog, draft with the offline writer", async ({
  browser,
}) => {
  // Eleven pages and a publish round trip in one flow: on a loaded 2-core machine it takes over 90 s.
  test.setTimeout(240_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await signUp(page, { name: "Cora Content", email: uniqueEmail("content"), password: PASSWORD });
  const ws = await createFirstWorkspace(page, `Deckhand Games ${Date.now().toString(36).slice(-4)}`);

  // --- an empty list says what to do ---
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Content" }).click();
  await expect(page.getByText("No content yet")).toBeVisible();
  await shot(page, "content-01-empty-list");

  // --- a blog post: slug follows the title, the Markdown preview is live ---
  await newContent(page, "blog");
  await page.getByTestId("title-input").fill("How to shuffle like a pro");
  await expect(page.getByTestId("slug-input")).toHaveValue("how-to-shuffle-like-a-pro");
  await page
    .getByTestId("body-input")
    .fill("## The riffle\n\nSplit the deck, **bend**, release.\n\n- seven times\n- then cut\n");
  await expect(
    page.getByTestId("blog-preview").getByRole("heading", { name: "The riffle", exact: true }),
  ).toBeVisible();
  await expect(page.getByTestId("blog-preview").locator("strong")).toHaveText("bend");
  await page.locator("#blog-tags").fill("cards");
  await page.locator("#blog-tags").press("Enter");
  await page.locator("#blog-seo-title").fill("Shuffle like a pro: the riffle, step by step");
  await expect(page.getByTestId("seo-title-counter")).toHaveText("44 / 70");
  await shot(page, "content-02-blog-editor");
  await page.getByTestId("save-content").click();
  const blogId = await savedId(page);
  await expect(page.getByTestId("status-badge")).toHaveText("Draft");
  await expect(page.getByTestId("slug-input")).toHaveValue("how-to-shuffle-like-a-pro");

  // --- a TikTok: the caption counter turns red past 2,200 and the form refuses it ---
  await page.goto(`/${ws}/content`);
  await newContent(page, "tiktok");
  await page.getByTestId("title-input").fill("Trick shot teaser");
  await page.getByTestId("body-input").fill("x".repeat(2201));
  await expect(page.getByTestId("caption-counter")).toHaveText("2,201 / 2,200");
  await expect(page.getByTestId("caption-counter")).toHaveAttribute("data-over", "true");
  await expect(page.getByText("TikTok captions are limited to 2,200 characters")).toBeVisible();
  const caption = "Wait for the last card #cardtricks #magic with @deckmaster";
  await page.getByTestId("body-input").fill(caption);
  await expect(page.getByTestId("caption-counter")).toHaveText(`${caption.length} / 2,200`);
  const preview = page.getByTestId("tiktok-preview");
  await expect(preview.locator('[data-token="hashtag"]')).toHaveText(["#cardtricks", "#magic"]);
  await expect(preview.locator('[data-token="mention"]')).toHaveText(["@deckmaster"]);
  await shot(page, "content-03-tiktok-editor");
  await page.getByTestId("save-content").click();
  const tiktokId = await savedId(page);

  // --- an email ---
  await page.goto(`/${ws}/content`);
  await newContent(page, "email");
  await page.getByTestId("title-input").fill("December newsletter");
  await page.getByTestId("subject-input").fill("New decks just landed");
  await page.getByTestId("preheader-input").fill("Plus a holiday discount inside");
  await page.getByTestId("body-input").fill("Hi there,\n\nOur **winter decks** are here.");
  await expect(page.getByTestId("email-preview")).toContainText(
    "New decks just landed — Plus a holiday discount inside",
  );
  await shot(page, "content-04-email-editor");
  await page.getByTestId("save-content").click();
  await savedId(page);

  // --- the list: all three, filters and search ---
  await page.goto(`/${ws}/content`);
  await expect(page.getByTestId("content-table").locator('[data-testid^="content-row-"]')).toHaveCount(3);
  await page.getByTestId("filter-type").click();
  await page.getByRole("option", { name: "Blog" }).click();
  await expect(page.getByTestId("content-table").locator('[data-testid^="content-row-"]')).toHaveCount(1);
  await expect(page.getByTestId(`content-row-${blogId}`)).toBeVisible();
  await page.getByTestId("filter-type").click();
  await page.getByRole("option", { name: "All types" }).click();
  await expect(page.getByTestId("content-table").locator('[data-testid^="content-row-"]')).toHaveCount(3);
  await page.getByTestId("content-search").fill("teaser");
  await expect(page.getByTestId(`content-row-${blogId}`)).toHaveCount(0);
  await expect(page.getByTestId("content-table").locator('[data-testid^="content-row-"]')).toHaveCount(1);
  await expect(page.getByTestId(`content-row-${tiktokId}`)).toBeVisible();
  await page.getByTestId("content-search").fill("");
  await expect(page.getByTestId("content-table").locator('[data-testid^="content-row-"]')).toHaveCount(3);
  await shot(page, "content-05-list");

  // --- a TikTok without a video or a TikTok connection cannot be published or scheduled: the
  // editor says why before anyone clicks (the server refuses it too) ---
  await page.goto(`/${ws}/content/${tiktokId}`);
  await expect(page.getByTestId("publish-blocker")).toHaveText(
    /Add a video to this TikTok post before publishing/,
  );
  await expect(page.getByTestId("publish-now")).toBeDisabled();
  await expect(page.getByTestId("schedule-button")).toBeDisabled();
  await shot(page, "content-06a-tiktok-needs-video");
  await page.getByTestId("video-url-input").fill("http://127.0.0.1:9/trick-shot.mp4");
  await page.getByTestId("save-content").click();
  await expect(page.getByTestId("publish-blocker")).toHaveText(/Connect a TikTok account in Integrations/);
  await expect(
    page.getByTestId("publish-blocker").getByRole("link", { name: "Open Integrations" }),
  ).toBeVisible();
  await expect(page.getByTestId("schedule-button")).toBeDisabled();

  // --- schedule the blog post in the workspace time zone; a past time is refused ---
  const day = dayFromToday(3);
  await page.goto(`/${ws}/content/${blogId}`);
  await page.getByTestId("schedule-button").click();
  await page.getByTestId("schedule-date").fill("2020-01-01");
  await page.getByTestId("schedule-time").fill("10:30");
  await page.getByTestId("schedule-confirm").click();
  await expect(page.getByTestId("schedule-error")).toContainText("pick one in the future");
  await page.getByTestId("schedule-date").fill(day);
  await shot(page, "content-06-schedule-dialog");
  await page.getByTestId("schedule-confirm").click();
  await expect(page.getByTestId("status-badge")).toHaveText("Scheduled");
  await expect(page.getByTestId("unschedule")).toBeVisible();
  await expect(page.getByTestId("schedule-button")).toHaveText("Reschedule");

  // --- drag it to another day on the calendar; the time of day stays and it survives a reload ---
  // Tall enough for a six-week month: headless Chromium does not start a drag at the viewport's edge.
  await page.setViewportSize({ width: 1280, height: 1300 });
  await page.goto(`/${ws}/content/calendar?date=${day}`);
  const item = page.getByTestId(`calendar-item-${blogId}`);
  await expect(page.getByTestId(`calendar-day-${day}`).getByTestId(`calendar-item-${blogId}`)).toBeVisible();
  await expect(item).toHaveAttribute("title", /10:30 AM/);
  // the next day, unless the month grid ends here (then the day before, still in the future)
  const target =
    (await page.getByTestId(`calendar-day-${shiftDay(day, 1)}`).count()) > 0
      ? shiftDay(day, 1)
      : shiftDay(day, -1);
  await shot(page, "content-07-calendar-before-drag");
  await item.dragTo(page.getByTestId(`calendar-day-${target}`));
  await expect(
    page.getByTestId(`calendar-day-${target}`).getByTestId(`calendar-item-${blogId}`),
  ).toBeVisible();
  await expect(page.getByText(/Moved “How to shuffle like a pro”/)).toBeVisible();
  await page.reload();
  await expect(
    page.getByTestId(`calendar-day-${target}`).getByTestId(`calendar-item-${blogId}`),
  ).toBeVisible();
  await expect(page.getByTestId(`calendar-item-${blogId}`)).toHaveAttribute("title", /10:30 AM/);
  await expect(page.getByTestId(`calendar-day-${day}`).getByTestId(`calendar-item-${blogId}`)).toHaveCount(0);
  await shot(page, "content-08-calendar-after-drag");
  await page.getByTestId("calendar-view-week").click();
  await expect(page.getByTestId("calendar")).toHaveAttribute("data-view", "week");
  await shot(page, "content-09-calendar-week");

  // --- publish the blog post and read it on the public blog ---
  await page.goto(`/${ws}/content/${blogId}`);
  await page.getByTestId("publish-now").click();
  await page.getByTestId("publish-confirm").click();
  await expect(page.getByTestId("status-badge")).toHaveText("Published", { timeout: 30_000 });
  const viewOnBlog = page.getByTestId("view-on-blog");
  await expect(viewOnBlog).toHaveAttribute("href", `/blog/${ws}/how-to-shuffle-like-a-pro`);
  await expect(page.getByTestId("notification-count")).toBeVisible();
  await shot(page, "content-10-blog-published");
  const blogPage = await ctx.newPage();
  const res = await blogPage.goto(`/blog/${ws}/how-to-shuffle-like-a-pro`);
  expect(res?.status()).toBe(200);
  await expect(
    blogPage.getByRole("heading", { name: "How to shuffle like a pro", exact: true }),
  ).toBeVisible();
  await expect(blogPage.getByRole("heading", { name: "The riffle", exact: true })).toBeVisible();
  await shot(blogPage, "content-11-public-blog-post");
  await blogPage.close();

  // --- a person's visits count as the post's views (HeadlessChrome above is a bot: not counted) ---
  const reader = await browser.newContext({
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  });
  const readerPage = await reader.newPage();
  for (let i = 0; i < 2; i++)
    expect((await readerPage.goto(`/blog/${ws}/how-to-shuffle-like-a-pro`))?.status()).toBe(200);
  await reader.close();
  await expect(async () => {
    await page.goto(`/${ws}/content`);
    await expect(page.getByTestId(`content-row-${blogId}`).locator('td[title="2"]')).toBeVisible({
      timeout: 2000,
    });
  }).toPass({ timeout: 20_000 });

  // the bell lists what happened
  await page.getByTestId("notification-bell").click();
  await expect(page.getByRole("menu")).toContainText("Published: How to shuffle like a pro");
  await page.keyboard.press("Escape");

  // --- generate a draft: with no AI endpoint configured, the offline writer says so ---
  await page.goto(`/${ws}/content`);
  await page.getByTestId("generate-content").click();
  await page.getByTestId("generate-product").fill("Pocket Tarot deck");
  await page.getByTestId("generate-submit").click();
  await page.waitForURL(UUID_PATH, { timeout: 30_000 });
  await expect(page.getByTestId("offline-generator-banner")).toBeVisible();
  await expect(page.getByTestId("offline-generator-banner")).toContainText("offline template writer");
  // The notice is the page's, not part of the caption that would be published.
  const fields = await page
    .locator("textarea, input[type=text]")
    .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
  expect(fields.join("\n")).toContain("Pocket Tarot");
  expect(fields.join("\n")).not.toContain("Drafted offline");
  await expect(page.getByTestId("ai-badge")).toBeVisible();
  await expect(page.getByTestId("status-badge")).toHaveText("Draft");
  await shot(page, "content-12-generated-offline-draft");

  // --- a phone: the list folds its columns and the month becomes an agenda ---
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`/${ws}/content`);
  await expect(page.getByTestId(`content-row-${blogId}`)).toBeVisible();
  await shot(page, "content-13-mobile-list");
  await page.goto(`/${ws}/content/calendar?date=${dayFromToday(0)}`);
  await expect(page.getByTestId("calendar")).toHaveAttribute("data-view", "agenda");
  await expect(page.getByTestId(`calendar-item-${blogId}`)).toBeVisible();
  await shot(page, "content-14-mobile-agenda");

  await ctx.close();
});

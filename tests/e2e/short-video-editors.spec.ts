import { expect, type Page, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

const UUID_PATH = /\/content\/([0-9a-f-]{36})$/;

/** "YYYY-MM-DD", `days` from today (UTC). Three days out is in the future in every time zone. */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function newContent(page: Page, type: "youtube" | "instagram") {
  await page.getByTestId("new-content").click();
  await page.getByTestId(`new-${type}`).click();
  await page.waitForURL(new RegExp(`/content/new\\?type=${type}`));
  await expect(page.getByTestId("title-input")).toBeEditable();
}

/** A full-page shot from the top (scrolled, the sticky header would be drawn mid-page). */
async function topShot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

async function savedId(page: Page): Promise<string> {
  await page.waitForURL(UUID_PATH);
  await expect(page.getByTestId("status-badge")).toHaveText("Draft");
  return UUID_PATH.exec(new URL(page.url()).pathname)![1]!;
}

test("short videos: a YouTube Short and an Instagram Reel are written, checked, saved and reopened", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug: ws } = await signUpWithWorkspace(
    page,
    {
      name: "Sasha Shorts",
      email: uniqueEmail("shorts"),
      password: "correct horse battery",
    },
    `Reel Roasters ${Date.now().toString(36).slice(-4)}`,
  );

  // --- the chooser offers both new types beside TikTok
  await page.goto(`/${ws}/content/new`);
  await expect(page.getByTestId("choose-youtube")).toContainText("YouTube Short");
  await expect(page.getByTestId("choose-instagram")).toContainText("Instagram Reel");
  await shot(page, "short-video-new-content");

  // --- a YouTube Short: title and description limits, tags, the required made-for-kids answer
  await page.goto(`/${ws}/content`);
  await newContent(page, "youtube");
  await page.getByTestId("title-input").fill("x".repeat(101));
  await expect(page.getByTestId("title-counter")).toHaveText("101 / 100");
  await expect(page.getByText("YouTube titles are at most 100 characters")).toBeVisible();
  await page.getByTestId("title-input").fill("Roasting beans in 60 seconds");
  await expect(page.getByTestId("title-counter")).toHaveText("28 / 100");
  const description = "From green to city roast, one batch, no cuts. #coffee #roasting";
  await page.getByTestId("body-input").fill(description);
  await expect(page.getByTestId("description-counter")).toHaveText(`${description.length} / 5,000`);
  for (const tag of ["coffee", "home roasting"]) {
    await page.locator("#youtube-tags").fill(tag);
    await page.locator("#youtube-tags").press("Enter");
  }
  await expect(page.getByTestId("tag-chip")).toHaveText(["coffee", "home roasting"]);
  await expect(page.getByTestId("tags-counter")).toHaveText("20 / 500");
  const preview = page.getByTestId("youtube-preview");
  await expect(preview.getByTestId("youtube-preview-title")).toHaveText("Roasting beans in 60 seconds");
  await expect(preview).toContainText("Made for kids: not answered");

  // Set to go out while the made-for-kids question is open: refused in the form, nothing saved.
  await page.getByRole("checkbox", { name: "Publish automatically at a set time" }).click();
  await page.getByTestId("create-schedule-date").fill(dayFromToday(3));
  await page.getByTestId("save-content").click();
  await expect(page.getByTestId("made-for-kids")).toContainText(
    "Answer whether this video is made for kids: YouTube requires it before publishing.",
  );
  await expect(page).toHaveURL(/\/content\/new\?type=youtube/);
  await page.getByRole("checkbox", { name: "Publish automatically at a set time" }).click();

  await page.getByTestId("made-for-kids-no").check();
  await expect(page.getByTestId("made-for-kids")).not.toContainText("Answer whether");
  await page.getByTestId("youtube-privacy").click();
  await page.getByRole("option", { name: /Unlisted/ }).click();
  await expect(page.getByTestId("youtube-privacy")).toContainText("Unlisted");
  await page.getByTestId("youtube-containsSyntheticMedia").click();
  await expect(preview).toContainText("Not made for kids");
  await expect(preview).toContainText("Unlisted");
  await expect(preview).toContainText("Altered or synthetic content");
  await topShot(page, "short-video-youtube-editor");
  await page.getByTestId("save-content").click();
  const youtubeId = await savedId(page);

  // Reopened: every value came back from the server.
  await page.goto(`/${ws}/content/${youtubeId}`);
  await expect(page.getByTestId("title-input")).toHaveValue("Roasting beans in 60 seconds");
  await expect(page.getByTestId("body-input")).toHaveValue(description);
  await expect(page.getByTestId("tag-chip")).toHaveText(["coffee", "home roasting"]);
  await expect(page.getByTestId("made-for-kids-no")).toBeChecked();
  await expect(page.getByTestId("made-for-kids-yes")).not.toBeChecked();
  await expect(page.getByTestId("youtube-privacy")).toContainText("Unlisted");
  await expect(page.getByTestId("youtube-containsSyntheticMedia")).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("youtube-scheduleWithYouTube")).toHaveAttribute("aria-checked", "false");
  await expect(page.getByText("YouTube Short by Sasha Shorts")).toBeVisible();
  await topShot(page, "short-video-youtube-saved");

  // --- an Instagram Reel: more than 30 hashtags is refused with a clear message, then fixed
  await page.goto(`/${ws}/content`);
  await newContent(page, "instagram");
  await page.getByTestId("title-input").fill("Cupping at the roastery");
  const tooMany = `Cupping day ${Array.from({ length: 31 }, (_, i) => `#tag${i + 1}`).join(" ")}`;
  await page.getByTestId("body-input").fill(tooMany);
  await expect(page.getByTestId("hashtag-counter")).toHaveText("31 / 30");
  await expect(page.getByTestId("hashtag-counter")).toHaveAttribute("data-over", "true");
  const hashtagError = "Instagram allows at most 30 hashtags; this caption has 31. Remove 1.";
  await expect(page.getByText(hashtagError)).toBeVisible();
  await page.getByTestId("save-content").click();
  await expect(page).toHaveURL(/\/content\/new\?type=instagram/);
  await topShot(page, "short-video-instagram-hashtags");

  const caption = "Cupping day at the roastery: which one would you pick? #coffee #cupping @reelroasters";
  await page.getByTestId("body-input").fill(caption);
  await expect(page.getByTestId("hashtag-counter")).toHaveText("2 / 30");
  await expect(page.getByText(hashtagError)).toBeHidden();
  await expect(page.getByTestId("caption-counter")).toHaveText(`${caption.length} / 2,200`);
  await page.getByTestId("instagram-shareToFeed").click();
  await page.locator("#instagram-cover").fill("1.5");
  const reel = page.getByTestId("instagram-preview");
  await expect(reel.locator('[data-token="hashtag"]')).toHaveText(["#coffee", "#cupping"]);
  await expect(reel).toContainText("Reels tab only");
  await expect(reel).toContainText("Cover at 1.5 s");
  await topShot(page, "short-video-instagram-editor");
  await page.getByTestId("save-content").click();
  const reelId = await savedId(page);

  await page.goto(`/${ws}/content/${reelId}`);
  await expect(page.getByTestId("title-input")).toHaveValue("Cupping at the roastery");
  await expect(page.getByTestId("body-input")).toHaveValue(caption);
  await expect(page.getByTestId("instagram-shareToFeed")).toHaveAttribute("aria-checked", "false");
  await expect(page.locator("#instagram-cover")).toHaveValue("1.5");

  // --- both appear in the list with their own badges
  await page.goto(`/${ws}/content`);
  await expect(page.getByText("Roasting beans in 60 seconds")).toBeVisible();
  await expect(page.getByText("Cupping at the roastery")).toBeVisible();
  await topShot(page, "short-video-content-list");

  // --- the Integrations page has a card for each platform
  await page.goto(`/${ws}/integrations`);
  await expect(page.getByTestId("integration-youtube")).toContainText(
    "Publish Shorts from your media library; views, likes and comments sync hourly.",
  );
  await expect(page.getByTestId("integration-instagram")).toContainText(
    "Publish Reels from your media library; views, likes and comments sync hourly.",
  );
  await topShot(page, "short-video-integrations");
  await ctx.close();
});

/**
 * A real video of the given frame size, recorded from a canvas in the browser itself (there is no
 * video encoder on the test machine): WebM/VP8 bytes, base64.
 */
async function recordVideo(page: Page, width: number, height: number): Promise<Buffer> {
  const b64 = await page.evaluate(
    async ([w, h]) => {
      const canvas = document.createElement("canvas");
      canvas.width = w;
      canvas.height = h;
      const g = canvas.getContext("2d")!;
      const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm" });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const done = new Promise((resolve) => {
        recorder.onstop = resolve;
      });
      recorder.start();
      for (let i = 0; i < 10; i++) {
        g.fillStyle = `hsl(${i * 36} 70% 50%)`;
        g.fillRect(0, 0, w, h);
        await new Promise((r) => setTimeout(r, 40));
      }
      recorder.stop();
      await done;
      const bytes = new Uint8Array(await new Blob(chunks, { type: "video/webm" }).arrayBuffer());
      let s = "";
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    },
    [width, height] as const,
  );
  return Buffer.from(b64, "base64");
}

test("short videos: a landscape video is flagged for Shorts and Reels, a vertical one is not", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug: ws } = await signUpWithWorkspace(
    page,
    {
      name: "Lana Landscape",
      email: uniqueEmail("landscape"),
      password: "correct horse battery",
    },
    `Wide Roasters ${Date.now().toString(36).slice(-4)}`,
  );
  const wide = await recordVideo(page, 320, 180);
  const tall = await recordVideo(page, 180, 320);
  // The editors read the video's frame size from its address; these never leave the browser.
  await ctx.route("https://videos.example.test/**", (route) =>
    route.fulfill({
      contentType: "video/webm",
      body: route.request().url().endsWith("wide.webm") ? wide : tall,
      headers: { "access-control-allow-origin": "*" },
    }),
  );

  const field = page.getByTestId("video-url-input");
  /**
   * Types the address until the editor has read the video. A page opened by address is server
   * rendered: text typed before React hydrates the form is replaced by the form's state (seen in
   * CI), so the address is typed again if it is gone.
   */
  async function typeVideo(url: string, shape: string) {
    await expect(async () => {
      if ((await field.inputValue()) !== url) await field.fill(url);
      await expect(page.getByTestId("video-shape")).toContainText(shape, { timeout: 3_000 });
    }).toPass({ timeout: 30_000, intervals: [500, 1_000, 2_000] });
  }

  for (const type of ["youtube", "instagram"] as const) {
    await page.goto(`/${ws}/content/new?type=${type}`);
    await expect(page.getByTestId("title-input")).toBeEditable();
    await typeVideo("https://videos.example.test/wide.webm", "320×180, landscape");
    await expect(page.getByTestId("video-landscape")).toContainText("landscape (320×180)");
    if (type === "youtube") await shot(page, "short-video-landscape-youtube");
    await typeVideo("https://videos.example.test/tall.webm", "180×320, vertical");
    await expect(page.getByTestId("video-landscape")).toHaveCount(0);
  }
  await ctx.close();
});

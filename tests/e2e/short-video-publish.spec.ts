import { expect, type Page, test } from "@playwright/test";
import {
  INSTAGRAM_CLIENT_ID,
  INSTAGRAM_CLIENT_SECRET,
  type InstagramStandIn,
  startInstagramStandIn,
} from "../fixtures/stand-ins/instagram";
import {
  startTikTokStandIn,
  TIKTOK_CLIENT_KEY,
  TIKTOK_CLIENT_SECRET,
  type TikTokStandIn,
} from "../fixtures/stand-ins/tiktok";
import {
  startYouTubeStandIn,
  YOUTUBE_CLIENT_ID,
  YOUTUBE_CLIENT_SECRET,
  type YouTubeStandIn,
} from "../fixtures/stand-ins/youtube";
import { clearOfMidnightUtc, shot, signUpWithWorkspace, uniqueEmail } from "./helpers";
import { startOwnServer } from "./own-server";

/*
 * Issue 20's browser test, all the way: one uploaded video, "Post everywhere", three platform posts
 * published with their links, then each platform's views on the Overview and Analytics. The shared
 * test server has only TikTok's stand-in, so this spec starts its own production server with TikTok,
 * YouTube (Google OAuth) and Instagram pointed at stand-ins in this process. APP_URL is the server's
 * own address: Instagram's stand-in downloads the Reel from the signed media address built on it.
 */

const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
const PORT = E2E_PORT + 23;
const UUID_PATH = /\/content\/([0-9a-f-]{36})$/;
const VIDEO_BYTES = 1024 * 1024;

let server: Awaited<ReturnType<typeof startOwnServer>> | undefined;
let tiktok: TikTokStandIn | undefined;
let youtube: YouTubeStandIn | undefined;
let instagram: InstagramStandIn | undefined;

test.use({ baseURL: `http://localhost:${PORT}` });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  [tiktok, youtube, instagram] = await Promise.all([
    startTikTokStandIn({ port: E2E_PORT + 24 }),
    startYouTubeStandIn({ port: E2E_PORT + 25 }),
    startInstagramStandIn({ port: E2E_PORT + 26 }),
  ]);
  server = await startOwnServer(PORT, {
    APP_URL: `http://localhost:${PORT}`,
    TIKTOK_CLIENT_KEY,
    TIKTOK_CLIENT_SECRET,
    TIKTOK_API_BASE_URL: tiktok.url,
    TIKTOK_AUTH_BASE_URL: tiktok.url,
    // YouTube signs in with the Google app (Gmail's too): every Google address goes to the stand-in.
    GOOGLE_CLIENT_ID: YOUTUBE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: YOUTUBE_CLIENT_SECRET,
    GOOGLE_AUTH_BASE_URL: youtube.url,
    GOOGLE_OAUTH_BASE_URL: youtube.url,
    YOUTUBE_API_BASE_URL: youtube.url,
    GMAIL_API_BASE_URL: youtube.url,
    GOOGLE_USERINFO_URL: `${youtube.url}/v1/userinfo`,
    SIGN_IN_WITH_GOOGLE: "false",
    INSTAGRAM_CLIENT_ID,
    INSTAGRAM_CLIENT_SECRET,
    INSTAGRAM_AUTH_BASE_URL: instagram.url,
    INSTAGRAM_TOKEN_BASE_URL: instagram.url,
    INSTAGRAM_GRAPH_BASE_URL: instagram.url,
    // Due posts go out within a second, and the analytics rollup follows a sync within seconds
    // (both are minute-scale safety nets by default).
    CONTENT_SCHEDULER_INTERVAL_MS: "1000",
    ANALYTICS_ROLLUP_INTERVAL_MS: "2000",
  });
});

test.afterAll(async () => {
  await server?.stop();
  await Promise.all([tiktok?.close(), youtube?.close(), instagram?.close()]);
});

/** A small file that sniffs as MP4: an `ftyp` box, then filler in an `mdat` box. */
function mp4(bytes: number) {
  const ftyp = Buffer.from("000000186674797069736f6d0000020069736f6d6d703431", "hex");
  const mdat = Buffer.alloc(bytes - ftyp.length, 0x11);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write("mdat", 4, "ascii");
  return Buffer.concat([ftyp, mdat]);
}

/** The first minute boundary at least 20 s ahead (UTC): time enough to fill in the dialog. */
function soonUtc() {
  const at = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);
  return { day: at.toISOString().slice(0, 10), time: at.toISOString().slice(11, 16) };
}

/** Connects one platform from its Integrations card through the stand-in's authorize page. */
async function connect(page: Page, slug: string, provider: string, authorize: string, approve: string) {
  await page.goto(`/${slug}/integrations`);
  const card = page.getByTestId(`integration-${provider}`);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await page.waitForURL(authorize);
  await page.getByRole("link", { name: approve, exact: true }).click();
  await page.waitForURL(`**/${slug}/integrations?**`);
  await expect(card.getByTestId("integration-status")).toHaveText("Connected");
}

/**
 * "Publish now" and confirm, until the item has left Draft: right after a save the page can
 * re-render under the click and close the dialog before its button is pressed. A second request
 * for an item already on its way is refused, not repeated.
 */
async function publishNow(page: Page) {
  await expect(async () => {
    if ((await page.getByTestId("status-badge").textContent()) === "Draft") {
      await page.getByTestId("publish-now").click();
      await page.getByTestId("publish-confirm").click({ timeout: 3_000 });
    }
    await expect(page.getByTestId("status-badge")).not.toHaveText("Draft", { timeout: 3_000 });
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
}

test("one video, Post everywhere: TikTok, YouTube Shorts and Instagram Reels published with links, views on Analytics", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const tt = tiktok!;
  const yt = youtube!;
  const ig = instagram!;
  const ctx = await browser.newContext({ timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Vera Video", email: uniqueEmail("svp"), password: "correct-horse-battery" },
    `Moon Mug Shorts ${Date.now().toString(36).slice(-4)}`,
  );

  // --- the three platforms, each through its own authorize page
  await connect(page, slug, "tiktok", `${tt.url}/v2/auth/authorize/**`, "Authorize");
  await connect(page, slug, "youtube", `${yt.url}/o/oauth2/v2/auth**`, "Allow");
  await connect(page, slug, "instagram", `${ig.url}/oauth/authorize**`, "Allow");
  await expect(page.getByTestId("integration-youtube").getByTestId("integration-account")).toHaveText(
    "Moon Mug Co",
  );
  await shot(page, "short-video-01-connected");

  // --- a TikTok post with a video uploaded to the media library
  await page.goto(`/${slug}/content/new?type=tiktok`);
  await expect(page.getByTestId("title-input")).toBeEditable();
  await expect(page.getByTestId("tiktok-creator")).toContainText("Posting as @moonmugco");
  await page.getByTestId("title-input").fill("Moon Mug in 15 seconds");
  await page.getByTestId("body-input").fill("The mug that keeps coffee hot for hours #moonmug #coffee");
  await page.getByTestId("privacy-select").click();
  await page.getByRole("option", { name: "Everyone" }).click();
  await page.getByRole("button", { name: "Media library" }).click();
  const picker = page.getByTestId("media-picker");
  await picker.getByTestId("media-file-input").setInputFiles({
    name: "moon-mug.mp4",
    mimeType: "video/mp4",
    buffer: mp4(VIDEO_BYTES),
  });
  await expect(picker.getByTestId("media-picker-use")).toBeEnabled();
  await picker.getByTestId("media-picker-use").click();
  await expect(page.getByTestId("video-url-input")).toHaveValue(/\/api\/media\//);
  await page.getByTestId("save-content").click();
  await page.waitForURL(UUID_PATH);
  await expect(page.getByTestId("status-badge")).toHaveText("Draft");
  const tiktokId = UUID_PATH.exec(new URL(page.url()).pathname)![1]!;

  // --- Post everywhere: YouTube and Instagram scheduled together a minute or less ahead
  await page.getByTestId("post-everywhere").click();
  const dialog = page.getByTestId("post-everywhere-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("pe-check-youtube")).toBeChecked();
  await expect(dialog.getByTestId("pe-check-instagram")).toBeChecked();
  await expect(dialog.getByTestId("pe-video")).toContainText("Video:");
  await dialog.getByTestId("pe-when-together").check();
  // The three posts go out within about a minute of here and are looked for on one calendar day.
  await clearOfMidnightUtc(4 * 60_000);
  const soon = soonUtc();
  await dialog.getByTestId("pe-schedule-date").fill(soon.day);
  await dialog.getByTestId("pe-schedule-time").fill(soon.time);
  await dialog.getByTestId("pe-kids-no").check();
  await shot(page, "short-video-02-post-everywhere");
  await dialog.getByTestId("pe-submit").click();
  await expect(page.getByText("Scheduled 2 posts")).toBeVisible();
  await expect(dialog).toBeHidden();
  const strip = page.getByTestId("platform-group");
  await expect(strip.getByTestId("group-member-youtube")).toContainText("Scheduled");
  await expect(strip.getByTestId("group-member-instagram")).toContainText("Scheduled");

  // --- the TikTok post itself goes out now (the dialog schedules only the new posts)
  await publishNow(page);

  // --- all three published: the strip shows the other two with their live links
  const youtubeLink = strip
    .getByTestId("group-member-youtube")
    .getByRole("link", { name: "View on YouTube" });
  const instagramLink = strip
    .getByTestId("group-member-instagram")
    .getByRole("link", { name: "View on Instagram" });
  await expect(async () => {
    const ready =
      (await page.getByTestId("status-badge").textContent()) === "Published" &&
      (await youtubeLink.count()) === 1 &&
      (await instagramLink.count()) === 1;
    if (!ready) await page.reload(); // in case a live update was missed
    await expect(page.getByTestId("status-badge")).toHaveText("Published", { timeout: 3_000 });
    await expect(youtubeLink).toBeVisible({ timeout: 3_000 });
    await expect(instagramLink).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 150_000, intervals: [2_000, 3_000, 5_000] });

  // What each platform received and made of it.
  const upload = [...tt.uploads.values()].find((u) => u.status === "PUBLISH_COMPLETE");
  expect(upload?.source).toBe("FILE_UPLOAD");
  expect(upload?.bytes).toBe(VIDEO_BYTES);
  const postId = upload!.postId!;
  const [video] = [...yt.videos.values()];
  expect(yt.videos.size).toBe(1);
  expect(video!.bytes).toBe(VIDEO_BYTES);
  expect(video!.status).toMatchObject({ uploadStatus: "processed", selfDeclaredMadeForKids: false });
  const [container] = [...ig.containers.values()];
  expect(ig.containers.size).toBe(1);
  expect(container!.videoUrl).toMatch(new RegExp(`^http://localhost:${PORT}/api/media/signed/`));
  expect(container!.fetched).toMatchObject({ status: 200, bytes: VIDEO_BYTES });
  const [reel] = [...ig.media.values()];
  expect(ig.media.size).toBe(1);

  const links = {
    tiktok: `https://www.tiktok.com/@moonmugco/video/${postId}`,
    youtube: `https://www.youtube.com/shorts/${video!.id}`,
    instagram: reel!.permalink,
  };
  await expect(page.getByTestId("platform-link")).toHaveAttribute("href", links.tiktok);
  await expect(page.getByTestId("tiktok-post-id")).toHaveText(postId);
  await expect(youtubeLink).toHaveAttribute("href", links.youtube);
  await expect(instagramLink).toHaveAttribute("href", links.instagram);
  await expect(strip.getByTestId("group-member-youtube")).toContainText("Published");
  await expect(strip.getByTestId("group-member-instagram")).toContainText("Published");
  await shot(page, "short-video-03-tiktok-editor-published");

  // --- the list: one row for the video, three platform chips, each Published
  await page.goto(`/${slug}/content`);
  const rows = page.getByTestId("content-table").locator('[data-testid^="content-row-"]');
  await expect(rows).toHaveCount(1);
  const chips = rows.first().getByTestId("group-chips").filter({ visible: true });
  await expect(chips.locator('[data-testid^="group-chip-"]')).toHaveCount(3);
  const ids: Record<string, string> = { tiktok: tiktokId };
  for (const type of ["tiktok", "youtube", "instagram"] as const) {
    const chip = chips.getByTestId(`group-chip-${type}`);
    await expect(chip).toContainText("Published");
    ids[type] = /\/content\/([0-9a-f-]{36})$/.exec((await chip.getAttribute("href")) ?? "")![1]!;
  }
  await shot(page, "short-video-04-list");

  // --- the calendar: one entry for the video on its day, each platform's icon with its status
  const day = soon.day;
  await page.goto(`/${slug}/content/calendar?date=${day}`);
  const cell = page.getByTestId(`calendar-day-${day}`);
  const entries = cell.locator('[data-testid^="calendar-item-"]');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toHaveAttribute("data-group", /[0-9a-f-]{36}/);
  const icons = entries.first().getByTestId("calendar-group-icons").locator("[data-type]");
  await expect(icons).toHaveCount(3);
  for (const type of ["tiktok", "youtube", "instagram"]) {
    await expect(icons.and(page.locator(`[data-type="${type}"]`))).toHaveAttribute(
      "data-status",
      "published",
    );
  }
  await shot(page, "short-video-04b-calendar");

  // --- each sibling's editor: its own link and ids in the status panel
  await page.goto(`/${slug}/content/${ids.youtube}`);
  await expect(page.getByTestId("status-badge")).toHaveText("Published");
  await expect(page.getByTestId("youtube-video-id")).toHaveText(video!.id);
  await expect(page.getByTestId("platform-link")).toHaveAttribute("href", links.youtube);
  await expect(page.getByTestId("platform-link")).toHaveText("View on YouTube");
  // The post made by Post everywhere shows (and keeps) the library video it was published with.
  await expect(page.getByTestId("video-url-input")).toHaveValue(
    /^\/api\/media\/[0-9a-f-]{36}\/moon-mug\.mp4$/,
  );
  await shot(page, "short-video-05-youtube-editor");
  await page.goto(`/${slug}/content/${ids.instagram}`);
  await expect(page.getByTestId("status-badge")).toHaveText("Published");
  await expect(page.getByTestId("instagram-media-id")).toHaveText(reel!.id);
  await expect(page.getByTestId("platform-link")).toHaveAttribute("href", links.instagram);
  await expect(page.getByTestId("platform-link")).toHaveText("View on Instagram");
  await expect(page.getByTestId("video-url-input")).toHaveValue(
    /^\/api\/media\/[0-9a-f-]{36}\/moon-mug\.mp4$/,
  );
  await shot(page, "short-video-06-instagram-editor");

  // --- the platforms report views; Sync now on each card reads them
  const views = { tiktok: 12_345, youtube: 4_321, instagram: 2_468 };
  tt.addVideo({
    id: postId,
    title: "Moon Mug in 15 seconds",
    createTimeSec: Math.floor(Date.now() / 1000),
    views: views.tiktok,
    likes: 678,
    comments: 9,
    shares: 21,
  });
  yt.setStatistics(video!.id, { views: views.youtube, likes: 210, comments: 12 });
  reel!.insights = { views: views.instagram, reach: 2_000, likes: 135, comments: 7, shares: 4, saved: 3 };
  await page.goto(`/${slug}/integrations`);
  for (const type of ["tiktok", "youtube", "instagram"] as const) {
    const card = page.getByTestId(`integration-${type}`);
    await card.getByRole("button", { name: "Sync now" }).click();
    await expect(card).toContainText("1 video, 1 matched");
  }
  await shot(page, "short-video-07-synced");
  for (const type of ["tiktok", "youtube", "instagram"] as const) {
    await page.goto(`/${slug}/content/${ids[type]}`);
    await expect(page.getByTestId("metric-views")).toHaveText(views[type].toLocaleString("en-US"));
  }

  // --- the Overview's per-platform cards and the Analytics content tab show the same views
  await page.goto(`/${slug}`);
  const overviewCards = {
    tiktok: page.getByTestId("platform-views-tiktok"),
    youtube: page.getByTestId("platform-views-youtube"),
    instagram: page.getByTestId("platform-views-instagram"),
  };
  await expect(async () => {
    if ((await overviewCards.instagram.count()) === 0) await page.reload(); // the rollup runs every 2 s
    for (const type of ["tiktok", "youtube", "instagram"] as const)
      await expect(overviewCards[type]).toContainText(views[type].toLocaleString("en-US"), {
        timeout: 3_000,
      });
  }).toPass({ timeout: 60_000, intervals: [2_000, 3_000] });
  await expect(overviewCards.tiktok).toContainText("TikTok");
  await expect(overviewCards.youtube).toContainText("YouTube Shorts");
  await expect(overviewCards.instagram).toContainText("Instagram Reels");
  await shot(page, "short-video-08-overview");

  await page.goto(`/${slug}/analytics?tab=content`);
  const table = page.getByTestId("table-platforms");
  for (const [type, label] of [
    ["tiktok", "TikTok"],
    ["youtube", "YouTube Shorts"],
    ["instagram", "Instagram Reels"],
  ] as const) {
    const row = table
      .locator("tbody tr")
      .filter({ has: page.getByRole("cell", { name: label, exact: true }) });
    await expect(row.locator("td").nth(1)).toHaveText(views[type].toLocaleString("en-US"));
  }
  await expect(page.getByTestId("tab-content")).toContainText(
    (views.tiktok + views.youtube + views.instagram).toLocaleString("en-US"),
  );
  await shot(page, "short-video-09-analytics");
  await ctx.close();
});

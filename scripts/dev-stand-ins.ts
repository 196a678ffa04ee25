/**
 * `npm run dev:stand-ins`: the local stand-ins the tests use (TikTok, Google/Gmail and "Sign in with
 * Google", Amazon SP-API, OpenAI-compatible, GitHub sign-in), on fixed ports of 127.0.0.1, so a developer can click through every
 * integration without real accounts. Prints the environment that points the app at them; put it in
 * `.env.local` (or export it) and start `npm run dev` in another terminal.
 *
 *   STAND_INS_PORT=4700 (default): TikTok 4701, Google 4702, Amazon 4703, OpenAI 4704, GitHub 4705,
 *   OIDC 4706 (a real OpenID Connect provider for "Sign in with SSO"; its redirect URI is APP_URL's,
 *   default http://localhost:3000), Amazon Ads (Attribution) 4707, YouTube Data API 4708,
 *   Instagram (Instagram Login and Graph API; downloads Reel videos from APP_URL) 4709.
 */

import { OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, startOidcServer } from "../tests/fixtures/oidc-server";
import {
  STAND_IN_CREDENTIALS,
  STAND_IN_MARKETPLACE,
  startAmazonStandIn,
} from "../tests/fixtures/stand-ins/amazon";
import { ADS_STAND_IN_CREDENTIALS, startAmazonAdsStandIn } from "../tests/fixtures/stand-ins/amazon-ads";
import {
  GITHUB_CLIENT_ID,
  GITHUB_CLIENT_SECRET,
  startGithubStandIn,
} from "../tests/fixtures/stand-ins/github";
import {
  GOOGLE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET,
  startGoogleStandIn,
} from "../tests/fixtures/stand-ins/google";
import {
  INSTAGRAM_CLIENT_ID,
  INSTAGRAM_CLIENT_SECRET,
  startInstagramStandIn,
} from "../tests/fixtures/stand-ins/instagram";
import { STAND_IN_API_KEY, startOpenAIStandIn } from "../tests/fixtures/stand-ins/openai";
import {
  startTikTokStandIn,
  TIKTOK_CLIENT_KEY,
  TIKTOK_CLIENT_SECRET,
} from "../tests/fixtures/stand-ins/tiktok";
import { startYouTubeStandIn } from "../tests/fixtures/stand-ins/youtube";

const base = Number(process.env.STAND_INS_PORT ?? 4700);
if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
  console.error("STAND_INS_PORT must be a port number between 1024 and 65000");
  process.exit(1);
}

async function main() {
  const tiktok = await startTikTokStandIn({ port: base + 1, listPublished: true });
  const google = await startGoogleStandIn({ port: base + 2 });
  const amazon = await startAmazonStandIn({ port: base + 3 });
  const openai = await startOpenAIStandIn({ port: base + 4 });
  const github = await startGithubStandIn({ port: base + 5 });
  const appUrl = (process.env.APP_URL ?? "http://localhost:3000").replace(/\/$/, "");
  const oidc = await startOidcServer({ redirectUris: [`${appUrl}/api/auth/callback/oidc`], port: base + 6 });
  const amazonAds = await startAmazonAdsStandIn({ port: base + 7 });
  // Tokens come from the Google stand-in (GOOGLE_OAUTH_BASE_URL is Gmail's too): any bearer is taken.
  const youtube = await startYouTubeStandIn({ port: base + 8, acceptAnyToken: true });
  const instagram = await startInstagramStandIn({ port: base + 9 });

  // A few older videos, so the first "Sync now" has something to page through.
  const now = Math.floor(Date.now() / 1000);
  for (let i = 1; i <= 5; i++) {
    tiktok.addVideo({
      id: `70000000000000000${i}0`,
      title: `Older video ${i}`,
      createTimeSec: now - i * 86_400,
      views: 1000 * i,
      likes: 50 * i,
      comments: 5 * i,
      shares: 3 * i,
    });
  }

  const envLines = [
    "# TikTok (Connect on the Integrations page opens the stand-in's authorize page)",
    `TIKTOK_CLIENT_KEY=${TIKTOK_CLIENT_KEY}`,
    `TIKTOK_CLIENT_SECRET=${TIKTOK_CLIENT_SECRET}`,
    `TIKTOK_API_BASE_URL=${tiktok.url}`,
    `TIKTOK_AUTH_BASE_URL=${tiktok.url}`,
    "# Gmail (Google OAuth + users.messages.send; sent mail is printed here)",
    `GOOGLE_CLIENT_ID=${GOOGLE_CLIENT_ID}`,
    `GOOGLE_CLIENT_SECRET=${GOOGLE_CLIENT_SECRET}`,
    `GOOGLE_OAUTH_BASE_URL=${google.url}`,
    `GOOGLE_AUTH_BASE_URL=${google.url}`,
    `GMAIL_API_BASE_URL=${google.url}`,
    "# YouTube Shorts (same Google app; uploads, processing and statistics at the YouTube stand-in)",
    `YOUTUBE_API_BASE_URL=${youtube.url}`,
    "# Instagram Reels (the stand-in downloads each Reel's video from APP_URL's signed address)",
    `INSTAGRAM_CLIENT_ID=${INSTAGRAM_CLIENT_ID}`,
    `INSTAGRAM_CLIENT_SECRET=${INSTAGRAM_CLIENT_SECRET}`,
    `INSTAGRAM_AUTH_BASE_URL=${instagram.url}`,
    `INSTAGRAM_TOKEN_BASE_URL=${instagram.url}`,
    `INSTAGRAM_GRAPH_BASE_URL=${instagram.url}`,
    "# Sign in with Google (same Google app; the stand-in signs you in as its Gmail sender address)",
    `GOOGLE_USERINFO_URL=${google.url}/v1/userinfo`,
    "# Sign in with GitHub (signs you in as octocat@github.test, a verified primary address)",
    `GITHUB_CLIENT_ID=${GITHUB_CLIENT_ID}`,
    `GITHUB_CLIENT_SECRET=${GITHUB_CLIENT_SECRET}`,
    `GITHUB_AUTH_BASE_URL=${github.url}`,
    `GITHUB_API_BASE_URL=${github.url}`,
    "# Amazon SP-API (Login with Amazon + orders + Multi-Channel Fulfillment)",
    `AMAZON_LWA_URL=${amazon.url}/auth/o2/token`,
    `AMAZON_SP_API_BASE_URL=${amazon.url}`,
    "# Amazon Ads (Attribution tags on links to Amazon + Attribution reports)",
    `AMAZON_ADS_API_BASE_URL=${amazonAds.url}`,
    `AMAZON_ADS_TOKEN_URL=${amazonAds.tokenUrl}`,
    "# OpenAI-compatible AI (content generation)",
    `OPENAI_BASE_URL=${openai.url}`,
    `OPENAI_API_KEY=${STAND_IN_API_KEY}`,
    "OPENAI_MODEL=gpt-4o-mini",
    "# Company SSO (any login and password on its page; an address as login is a verified email)",
    `OIDC_ISSUER=${oidc.issuer}`,
    `OIDC_CLIENT_ID=${OIDC_TEST_CLIENT_ID}`,
    `OIDC_CLIENT_SECRET=${OIDC_TEST_CLIENT_SECRET}`,
    "OIDC_NAME=Dev SSO",
  ];
  console.log("Stand-ins running on 127.0.0.1. Point the app at them (e.g. in .env.local):\n");
  console.log(envLines.join("\n"));
  console.log(`
Amazon Seller "Connect" form: client id ${STAND_IN_CREDENTIALS.clientId}
  client secret ${STAND_IN_CREDENTIALS.clientSecret}
  refresh token ${STAND_IN_CREDENTIALS.refreshToken}
  region NA, marketplace ${STAND_IN_MARKETPLACE} (US)
Amazon Ads "Connect" form: client id ${ADS_STAND_IN_CREDENTIALS.clientId}
  client secret ${ADS_STAND_IN_CREDENTIALS.clientSecret}
  refresh token ${ADS_STAND_IN_CREDENTIALS.refreshToken}
  region NA (one profile and one advertiser: chosen for you)
TikTok posts that publish show up in the video list with some views; "Sync now" picks them up.
Ctrl+C stops them.`);

  // Tell the developer what the app did, as it happens.
  let mails = 0;
  let posts = 0;
  let shorts = 0;
  const watch = setInterval(() => {
    for (; mails < google.sent.length; mails++) {
      const m = google.sent[mails]!;
      console.log(`[gmail] sent to ${m.headers.to}: ${m.headers.subject}`);
    }
    const uploads = [...tiktok.uploads.values()];
    for (; posts < uploads.length; posts++) {
      const u = uploads[posts]!;
      console.log(`[tiktok] post started (${u.source}, ${String(u.postInfo.privacy_level)}): ${u.publishId}`);
    }
    const videos = [...youtube.videos.values()];
    for (; shorts < videos.length; shorts++) {
      const v = videos[shorts]!;
      console.log(`[youtube] video uploaded (${String(v.status.privacyStatus)}, ${v.bytes} bytes): ${v.id}`);
    }
  }, 1000);

  const stop = async () => {
    clearInterval(watch);
    await Promise.allSettled([
      tiktok.close(),
      google.close(),
      amazon.close(),
      openai.close(),
      github.close(),
      oidc.close(),
      amazonAds.close(),
      youtube.close(),
      instagram.close(),
    ]);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

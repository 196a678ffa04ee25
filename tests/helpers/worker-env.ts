/**
 * For `server/worker.ts` processes a test spawns on the shared test database: their scheduler tick
 * would claim every due row of it, other files' blog and TikTok posts included (a content test then
 * finds its post `publishing` under a publisher it never set). These workers are there for email and
 * jobs, so the parts they must not publish are switched off in them.
 */
export const SPAWNED_WORKER_ENV = {
  ENABLE_BLOG_ENGINE: "false",
  ENABLE_TIKTOK_INTEGRATION: "false",
} as const;

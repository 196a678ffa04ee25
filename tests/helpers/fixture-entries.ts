/**
 * The test fixtures that run as processes of their own, by name, from their source: global-setup
 * builds them as the worker and the CLI are built, and fixtureNodeArgs (server-build.ts) starts them.
 */
export const FIXTURES = {
  "auth-origin-server": "tests/fixtures/auth-origin-server.ts",
  "boot-once": "tests/fixtures/boot-once.ts",
  "hold-sse-slots": "tests/helpers/hold-sse-slots.ts",
} as const;

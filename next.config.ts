import os from "node:os";
import type { NextConfig } from "next";
import { PROXY_FREE_PATHS, staticApiSecurityHeaders } from "./lib/security-headers";

/**
 * The hosts `npm run dev` serves its scripts and hot reload to besides the one it was started on
 * (Next blocks other origins in development, and a page opened at 127.0.0.1 never hydrates): the
 * loopback names, HOST, APP_URL's host, every address of this machine when it listens on all of them
 * (HOST=0.0.0.0, a LAN dev box), and DEV_ALLOWED_ORIGINS (comma list). Production never reads it.
 */
export function devOrigins(e: Record<string, string | undefined> = process.env): string[] {
  const hosts = new Set(["localhost", "127.0.0.1", "::1"]);
  const host = e.HOST?.trim();
  if (host === "0.0.0.0" || host === "::") {
    for (const list of Object.values(os.networkInterfaces()))
      for (const a of list ?? []) hosts.add(a.address.replace(/%.*$/, ""));
  } else if (host) hosts.add(host);
  try {
    if (e.APP_URL) hosts.add(new URL(e.APP_URL).hostname);
  } catch {
    // Not a URL: the app's own env check reports it.
  }
  for (const h of e.DEV_ALLOWED_ORIGINS?.split(",") ?? []) if (h.trim()) hosts.add(h.trim());
  return [...hosts];
}

const nextConfig: NextConfig = {
  reactStrictMode: true,
  allowedDevOrigins: devOrigins(),
  // The Docker image sets NEXT_OUTPUT=standalone; `npm start` uses the regular build.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
  // Two switches for a build whose tree is type-checked by `tsc` right after (.ci/run: tsc also
  // checks the tests, which next build skips, and the route types this build writes) and thrown
  // away after one use: BUILD_TYPECHECK=false skips next build's own type check (about a minute
  // here), BUILD_CACHE=false the write of Turbopack's build cache (about 20 s, used only by a rebuild).
  typescript: { ignoreBuildErrors: process.env.BUILD_TYPECHECK === "false" },
  experimental: { turbopackFileSystemCacheForBuild: process.env.BUILD_CACHE !== "false" },
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg",
    "pino",
    "bullmq",
    "ioredis",
    "nodemailer",
    "rate-limiter-flexible",
    "prom-client",
    "@sentry/node",
    "@opentelemetry/api",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/instrumentation",
    "@opentelemetry/instrumentation-http",
    "@opentelemetry/instrumentation-pg",
    "@opentelemetry/resources",
  ],
  outputFileTracingIncludes: { "/**": ["./server/db/migrations/**/*"] },
  // The upload routes and the JSON API bypass proxy.ts (which sets every other response's headers):
  // uploads so their bodies stream unbuffered, the API for speed. They get the same headers here.
  async headers() {
    const headers = Object.entries(staticApiSecurityHeaders(process.env.NODE_ENV === "production")).map(
      ([key, value]) => ({ key, value }),
    );
    return PROXY_FREE_PATHS.map((source) => ({ source, headers }));
  },
};

export default nextConfig;

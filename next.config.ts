import type { NextConfig } from "next";
import { STREAMED_UPLOAD_PATHS, staticApiSecurityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The Docker image sets NEXT_OUTPUT=standalone; `npm start` uses the regular build.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
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
  // The upload routes bypass proxy.ts (which sets every other response's headers) so their bodies
  // stream unbuffered; they get the same headers here.
  async headers() {
    const headers = Object.entries(staticApiSecurityHeaders(process.env.NODE_ENV === "production")).map(
      ([key, value]) => ({ key, value }),
    );
    return STREAMED_UPLOAD_PATHS.map((source) => ({ source, headers }));
  },
};

export default nextConfig;

import type { NextConfig } from "next";

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
  ],
  outputFileTracingIncludes: { "/**": ["./server/db/migrations/**/*"] },
};

export default nextConfig;

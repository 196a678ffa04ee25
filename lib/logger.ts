import "server-only";
import pino from "pino";
import { env } from "./env";

const globalForLogger = globalThis as unknown as { organicLogger?: pino.Logger };

export const logger: pino.Logger =
  globalForLogger.organicLogger ??
  pino({
    level: process.env.VITEST && !process.env.LOG_LEVEL ? "silent" : env().LOG_LEVEL,
    base: { app: "organic" },
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "key",
        "*.key",
        "headers.cookie",
        "headers.authorization",
      ],
      censor: "[redacted]",
    },
  });

globalForLogger.organicLogger = logger;

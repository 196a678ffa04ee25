import "server-only";
import pino from "pino";
import { env } from "./env";
import { currentRequestId } from "./request-context";

const globalForLogger = globalThis as unknown as { organicLogger?: pino.Logger };

export const logger: pino.Logger =
  globalForLogger.organicLogger ??
  pino({
    level: process.env.VITEST && !process.env.LOG_LEVEL ? "silent" : env().LOG_LEVEL,
    base: { app: "organic" },
    // Every line written while a request is handled names it (the same id the client gets back).
    mixin: (_obj, _level, self) => {
      const requestId = currentRequestId();
      return requestId && !("requestId" in self.bindings()) ? { requestId } : {};
    },
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

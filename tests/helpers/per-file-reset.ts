import { afterAll, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/logger";
import { resetMailer } from "@/lib/mailer";
import { resetMemoryLimiters } from "@/lib/ratelimit";
import { closeRedis } from "@/lib/redis";
import { resetEncryptionKeyCache } from "@/lib/secret-box";
import { resetPreparedStatements } from "@/server/db/prepared";
import { serveApiFastPath } from "@/server/http/api-fast-path";
import { resetAmazonHealthCache } from "@/server/integrations/amazon/health";
import { resetSpApiBuckets } from "@/server/integrations/amazon/rate-limit";
import { httpDefaults } from "@/server/integrations/http";
import { closeTransports } from "@/server/services/email/transport";
import { resetIntegrationsHealthCache } from "@/server/services/integrations/health";
import { resetStorage } from "@/server/storage";

/*
 * Test files share their worker process (vitest.config.ts: isolate false), so what one file changes
 * for the whole process must not reach the next. This file runs before each test file
 * (setupFiles), and its afterAll after the file's own: it undoes the file's vi stubs, puts the
 * environment back as the file found it, and closes or forgets what the app opens or caches
 * lazily from the environment (database, auth, storage, Redis, SMTP pools, the encryption key,
 * in-memory rate limits, health caches), so the next file starts from its own environment.
 */

const envAtStart = { ...process.env };
// Settings a file may turn for its own run (a verbose logger, short integration backoffs).
const logLevelAtStart = logger.level;
const httpDefaultsAtStart = { ...httpDefaults };

type Closable = { close?: () => Promise<void> | void };
const app = globalThis as unknown as {
  organicDb?: Promise<Closable>;
  organicAuth?: unknown;
  organicQueue?: unknown;
};

afterAll(async () => {
  // Left in place, a stub would be undone by the next file's vi.unstubAllEnvs(), to this file's values.
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in envAtStart)) delete process.env[key];
  Object.assign(process.env, envAtStart);
  resetEnvCache();
  logger.level = logLevelAtStart;
  Object.assign(httpDefaults, httpDefaultsAtStart);

  const db = app.organicDb;
  app.organicDb = undefined;
  // A handle the file closed itself may be closed again: that is harmless.
  if (db)
    await Promise.resolve(db)
      .then((h) => h.close?.())
      .catch(() => {});
  app.organicAuth = undefined;
  app.organicQueue = undefined;
  await resetStorage();
  await closeRedis();
  closeTransports();
  resetMailer();
  resetEncryptionKeyCache();
  resetMemoryLimiters();
  resetPreparedStatements();
  resetIntegrationsHealthCache();
  resetAmazonHealthCache();
  resetSpApiBuckets();
  serveApiFastPath(null);
}, 60_000);

import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomToken } from "./crypto";
import { dataDir, env } from "./env";

/**
 * better-auth's signing secret. BETTER_AUTH_SECRET wins; otherwise one is generated on first start
 * and kept in the data folder so sessions survive restarts of a zero-config install.
 */
export function authSecret(): string {
  const e = env();
  if (e.BETTER_AUTH_SECRET) return e.BETTER_AUTH_SECRET;
  assertAuthSecret();
  const file = path.join(dataDir(), "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir(), { recursive: true });
    const secret = randomToken(48);
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return fs.readFileSync(file, "utf8").trim();
  }
}

/**
 * Called at start (web and worker) so a missing secret stops the process there, not on the first
 * sign-in or email. With PostgreSQL there may be several web processes and workers, each with its own
 * DATA_DIR: a secret generated per process would make one's sessions and unsubscribe links invalid
 * on another, so production needs BETTER_AUTH_SECRET then.
 */
export function assertAuthSecret(): void {
  const e = env();
  if (!e.BETTER_AUTH_SECRET && e.NODE_ENV === "production" && e.DATABASE_URL) {
    throw new Error(
      "BETTER_AUTH_SECRET is required in production with DATABASE_URL: every web process and worker must sign with the same secret (generate one with `openssl rand -base64 48`)",
    );
  }
}

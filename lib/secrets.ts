import "server-only";
import { createHash } from "node:crypto";
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

const derivedKeys = new Map<string, { source: string; secret: string; key: Buffer; checkedAt: number }>();
/** authSecret() may read a file; signers run per message, so the file is looked at once a second. */
const SECRET_RECHECK_MS = 1000;

/**
 * A key of `purpose`'s own derived from authSecret(), so a signature made for one feature can never
 * pass as another's. Cached, but tied to where the secret comes from (the variable's value, or the
 * data folder): a changed BETTER_AUTH_SECRET or DATA_DIR counts at once, a rewritten file within a
 * second.
 */
export function derivedSecretKey(purpose: string): Buffer {
  const now = Date.now();
  const fixed = env().BETTER_AUTH_SECRET;
  const source = fixed ?? `file:${dataDir()}`;
  const cached = derivedKeys.get(purpose);
  if (cached?.source === source && (fixed || now - cached.checkedAt < SECRET_RECHECK_MS)) return cached.key;
  const secret = authSecret();
  const key =
    cached?.secret === secret
      ? cached.key
      : createHash("sha256").update(`organic:${purpose}:${secret}`).digest();
  derivedKeys.set(purpose, { source, secret, key, checkedAt: now });
  return key;
}

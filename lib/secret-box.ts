import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, env } from "./env";
import { logger } from "./logger";

/**
 * Secrets at rest (OAuth tokens, refresh tokens, provider API keys): AES-256-GCM with a random
 * 96-bit IV per value, stored as `v1.<iv>.<tag>.<ciphertext>` (base64url). The key comes from
 * ENCRYPTION_KEY (64 hex characters or base64 of 32 bytes); production with DATABASE_URL refuses to
 * run without it, an embedded install generates one into the data folder on first use.
 */
const VERSION = "v1";

let cachedKey: Buffer | undefined;

export class EncryptionKeyError extends Error {}

export function parseEncryptionKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new EncryptionKeyError(
      "ENCRYPTION_KEY must be 32 bytes: 64 hex characters or base64 (generate one with `openssl rand -hex 32`)",
    );
  }
  return key;
}

/**
 * Called at start (web and worker). Throws when ENCRYPTION_KEY is malformed, or missing where a
 * generated one cannot work: production with DATABASE_URL, where every web process and worker (each
 * with its own DATA_DIR) must decrypt what the others sealed. Otherwise a missing key is generated
 * into DATA_DIR on first start (and a production server says so, since the file must be backed up).
 */
export function assertEncryptionKey(): void {
  const e = env();
  if (!e.ENCRYPTION_KEY && e.NODE_ENV === "production" && !e.DATABASE_URL && !generatedKeyExists()) {
    encryptionKey();
    logger.warn(
      `ENCRYPTION_KEY is not set: generated one into ${keyFile()}. Back it up with the data folder — stored integration tokens cannot be read without it.`,
    );
    return;
  }
  encryptionKey();
}

const keyFile = () => path.join(dataDir(), "encryption-key");
const generatedKeyExists = () => fs.existsSync(keyFile());

function encryptionKey(): Buffer {
  if (cachedKey) return cachedKey;
  const e = env();
  if (e.ENCRYPTION_KEY) {
    cachedKey = parseEncryptionKey(e.ENCRYPTION_KEY);
    return cachedKey;
  }
  if (e.NODE_ENV === "production" && e.DATABASE_URL) {
    throw new EncryptionKeyError(
      "ENCRYPTION_KEY is required in production with DATABASE_URL: every web process and worker must use the same key (generate one with `openssl rand -hex 32`)",
    );
  }
  const file = keyFile();
  try {
    cachedKey = parseEncryptionKey(fs.readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    fs.mkdirSync(dataDir(), { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== "EEXIST") throw writeError;
    }
    cachedKey = parseEncryptionKey(fs.readFileSync(file, "utf8"));
  }
  return cachedKey;
}

/** Test hook: forget the cached key so a test can change ENCRYPTION_KEY. */
export function resetEncryptionKeyCache() {
  cachedKey = undefined;
}

export function encryptSecret(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

/** Throws when the value was tampered with or encrypted under another key. */
export function decryptSecret(sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error("not an encrypted secret");
  }
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
    "utf8",
  );
}

export function encryptJson(value: unknown): string {
  return encryptSecret(JSON.stringify(value));
}

export function decryptJson<T>(sealed: string): T {
  return JSON.parse(decryptSecret(sealed)) as T;
}

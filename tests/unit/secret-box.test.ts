import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import {
  assertEncryptionKey,
  decryptJson,
  decryptSecret,
  encryptJson,
  encryptSecret,
  parseEncryptionKey,
  resetEncryptionKeyCache,
} from "@/lib/secret-box";

const original = { key: process.env.ENCRYPTION_KEY, nodeEnv: process.env.NODE_ENV };

function setKey(key: string | undefined, nodeEnv = "test") {
  if (key === undefined) delete process.env.ENCRYPTION_KEY;
  else process.env.ENCRYPTION_KEY = key;
  (process.env as Record<string, string>).NODE_ENV = nodeEnv;
  resetEnvCache();
  resetEncryptionKeyCache();
}

afterEach(() => setKey(original.key, original.nodeEnv ?? "test"));

describe("secret box (AES-256-GCM)", () => {
  it("round-trips text and JSON, with a fresh IV every time", () => {
    setKey(randomBytes(32).toString("hex"));
    const a = encryptSecret("refresh-token-1");
    const b = encryptSecret("refresh-token-1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("refresh-token-1");
    expect(decryptSecret(a)).toBe("refresh-token-1");
    expect(decryptJson(encryptJson({ accessToken: "x", n: 1 }))).toEqual({ accessToken: "x", n: 1 });
  });

  it("refuses a tampered value and a value sealed under another key", () => {
    setKey(randomBytes(32).toString("hex"));
    const sealed = encryptSecret("secret");
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[3] as string, "base64url");
    ct[0] = (ct[0] as number) ^ 1;
    expect(() => decryptSecret([parts[0], parts[1], parts[2], ct.toString("base64url")].join("."))).toThrow();
    setKey(randomBytes(32).toString("base64"));
    expect(() => decryptSecret(sealed)).toThrow();
    expect(() => decryptSecret("plain text")).toThrow("not an encrypted secret");
  });

  it("accepts 64 hex characters or base64 of 32 bytes and refuses anything else", () => {
    expect(parseEncryptionKey("ab".repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(randomBytes(32).toString("base64"))).toHaveLength(32);
    expect(() => parseEncryptionKey("too-short")).toThrow("ENCRYPTION_KEY must be 32 bytes");
  });

  it("refuses to run in production with DATABASE_URL and without ENCRYPTION_KEY", () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgres://127.0.0.1:1/none";
    try {
      setKey(undefined, "production");
      expect(() => encryptSecret("x")).toThrow("ENCRYPTION_KEY is required in production with DATABASE_URL");
      expect(() => assertEncryptionKey()).toThrow(
        "ENCRYPTION_KEY is required in production with DATABASE_URL",
      );
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it("an embedded production install generates its key into DATA_DIR once and keeps using it", () => {
    const saved = { db: process.env.DATABASE_URL, dir: process.env.DATA_DIR };
    const dir = mkdtempSync(path.join(os.tmpdir(), "organic-key-"));
    try {
      delete process.env.DATABASE_URL;
      process.env.DATA_DIR = dir;
      setKey(undefined, "production");
      assertEncryptionKey();
      const file = path.join(dir, "encryption-key");
      const key = readFileSync(file, "utf8");
      expect(parseEncryptionKey(key)).toHaveLength(32);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const sealed = encryptSecret("kept");
      resetEncryptionKeyCache();
      assertEncryptionKey();
      expect(readFileSync(file, "utf8")).toBe(key);
      expect(decryptSecret(sealed)).toBe("kept");
    } finally {
      if (saved.db === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved.db;
      if (saved.dir === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = saved.dir;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

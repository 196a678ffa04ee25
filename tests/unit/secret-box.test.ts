import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import {
  decryptJson,
  decryptSecret,
  encryptJson,
  encryptSecret,
  parseEncryptionKey,
  resetEncryptionKeyCache,
} from "@/lib/secret-box";

const original = { key: process.env.ENCRYPTION_KEY, nodeEnv: process.env.NODE_ENV };

function useKey(key: string | undefined, nodeEnv = "test") {
  if (key === undefined) delete process.env.ENCRYPTION_KEY;
  else process.env.ENCRYPTION_KEY = key;
  (process.env as Record<string, string>).NODE_ENV = nodeEnv;
  resetEnvCache();
  resetEncryptionKeyCache();
}

afterEach(() => useKey(original.key, original.nodeEnv ?? "test"));

describe("secret box (AES-256-GCM)", () => {
  it("round-trips text and JSON, with a fresh IV every time", () => {
    useKey(randomBytes(32).toString("hex"));
    const a = encryptSecret("refresh-token-1");
    const b = encryptSecret("refresh-token-1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("refresh-token-1");
    expect(decryptSecret(a)).toBe("refresh-token-1");
    expect(decryptJson(encryptJson({ accessToken: "x", n: 1 }))).toEqual({ accessToken: "x", n: 1 });
  });

  it("refuses a tampered value and a value sealed under another key", () => {
    useKey(randomBytes(32).toString("hex"));
    const sealed = encryptSecret("secret");
    const parts = sealed.split(".");
    const ct = Buffer.from(parts[3] as string, "base64url");
    ct[0] = (ct[0] as number) ^ 1;
    expect(() => decryptSecret([parts[0], parts[1], parts[2], ct.toString("base64url")].join("."))).toThrow();
    useKey(randomBytes(32).toString("base64"));
    expect(() => decryptSecret(sealed)).toThrow();
    expect(() => decryptSecret("plain text")).toThrow("not an encrypted secret");
  });

  it("accepts 64 hex characters or base64 of 32 bytes and refuses anything else", () => {
    expect(parseEncryptionKey("ab".repeat(32))).toHaveLength(32);
    expect(parseEncryptionKey(randomBytes(32).toString("base64"))).toHaveLength(32);
    expect(() => parseEncryptionKey("too-short")).toThrow("ENCRYPTION_KEY must be 32 bytes");
  });

  it("refuses to run in production without ENCRYPTION_KEY", () => {
    useKey(undefined, "production");
    expect(() => encryptSecret("x")).toThrow("ENCRYPTION_KEY is required in production");
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EMAIL_PATTERN, normalizeEmail } from "@/lib/email-address";

/** lib/email-address.ts checks addresses without Zod (for light pages); it must agree with z.email(). */
const SAMPLES = [
  "ada@example.com",
  "first.last+tag@sub.example.co.uk",
  "o'brien@example.ie",
  "under_score@example.org",
  "x@y.io",
  ".leading@example.com",
  "double..dot@example.com",
  "trailing.@example.com",
  "no-at.example.com",
  "a@b",
  "a@b.c",
  "a@-example.com",
  "a@example..com",
  "space in@example.com",
  "ünïcode@example.com",
  "a@example.123",
  "",
];

describe("EMAIL_PATTERN", () => {
  it.each(SAMPLES)("agrees with z.email() on %j", (address) => {
    expect(EMAIL_PATTERN.test(address)).toBe(z.email().safeParse(address).success);
  });
});

describe("normalizeEmail", () => {
  it("trims and lower-cases a good address", () => {
    expect(normalizeEmail("  Ada@Example.COM ")).toEqual({ ok: true, email: "ada@example.com" });
  });

  it("says why an address is refused", () => {
    expect(normalizeEmail(undefined)).toEqual({ ok: false, reason: "Email is missing" });
    expect(normalizeEmail("ada.example.com")).toEqual({ ok: false, reason: "Email has no @" });
    expect(normalizeEmail("a b@example.com")).toEqual({ ok: false, reason: "Email contains spaces" });
    expect(normalizeEmail("a..b@example.com")).toEqual({ ok: false, reason: "Email is not a valid address" });
    expect(normalizeEmail(`${"a".repeat(250)}@example.com`)).toEqual({
      ok: false,
      reason: "Email is longer than 255 characters",
    });
  });
});

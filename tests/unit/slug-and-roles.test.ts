import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "@/server/db/schema";
import {
  canManageMembers,
  canManageWorkspace,
  canWrite,
  hasRole,
  RESERVED_SLUGS,
  ROLE_RANK,
  slugify,
  slugSchema,
} from "@/server/services/workspaces";

describe("slugify", () => {
  it.each([
    ["Acme", "acme"],
    ["Acme Corp", "acme-corp"],
    ["  --Acme--  ", "acme"],
    ["Hello, World!!", "hello-world"],
    ["Café Crème", "cafe-creme"],
    ["Ünïcödé 2024", "unicode-2024"],
    ["Ångström & Co", "angstrom-co"],
    ["ﬁnance Ⅻ", "finance-xii"],
    ["C++ / Rust_lang", "c-rust-lang"],
    ["100% Organic", "100-organic"],
  ])("%j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it.each([
    ["A", "workspace-a"],
    ["é", "workspace-e"],
    ["!!!", "workspace"],
    ["", "workspace"],
    ["日本語", "workspace"],
  ])("pads a too-short result: %j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it.each([
    ["API", "workspace-api"],
    ["Settings", "workspace-settings"],
    ["Sign In", "workspace-sign-in"],
    ["Docs!", "workspace-docs"],
  ])("never returns a reserved slug: %j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it("caps the length at 40 without a trailing dash", () => {
    const slug = slugify(`${"a".repeat(39)} bcdef ghij`);
    expect(slug).toBe("a".repeat(39));
    expect(slugify("word ".repeat(30))).toHaveLength(39);
    expect(slugify("word ".repeat(30)).endsWith("-")).toBe(false);
  });

  it("always produces a slug that slugSchema accepts unchanged", () => {
    const names = [
      "Acme",
      "x",
      "",
      "-",
      "API",
      "admin",
      "f",
      "Ça va?",
      "😀 emoji co",
      "a".repeat(200),
      `${"ab-".repeat(30)}z`,
      "Ünïcödé",
      "ǅemal",
      "ﬁnance",
      "Ⅻ Legion",
    ];
    for (const name of names) {
      const slug = slugify(name);
      expect(slugSchema.parse(slug), name).toBe(slug);
      expect(RESERVED_SLUGS.has(slug), name).toBe(false);
    }
  });
});

describe("slugSchema", () => {
  it("trims and lowercases", () => {
    expect(slugSchema.parse("  My-Team  ")).toBe("my-team");
  });

  it.each(["ab", "a1", "a-b", "a--b", "team-42", "9lives", "x".repeat(48)])("accepts %j", (slug) => {
    expect(slugSchema.parse(slug)).toBe(slug);
  });

  it.each([
    ["a", "Slug must be at least 2 characters"],
    ["x".repeat(49), "Slug must be at most 48 characters"],
    ["-ab", "not at the start or end"],
    ["ab-", "not at the start or end"],
    ["a_b", "Use lowercase letters, digits and dashes"],
    ["a b", "Use lowercase letters, digits and dashes"],
    ["café", "Use lowercase letters, digits and dashes"],
    ["api", "That slug is reserved"],
    ["API", "That slug is reserved"],
    ["sign-in", "That slug is reserved"],
    ["_next", "Use lowercase letters, digits and dashes"],
  ])("refuses %j with %j", (slug, message) => {
    const res = slugSchema.safeParse(slug);
    expect(res.success).toBe(false);
    expect(res.error?.issues.map((i) => i.message).join(" | ")).toContain(message);
  });

  it("refuses every reserved slug that has a slug's shape", () => {
    for (const slug of RESERVED_SLUGS) expect(slugSchema.safeParse(slug).success, slug).toBe(false);
  });
});

describe("roles", () => {
  it("ranks owner > admin > member > viewer", () => {
    const sorted = [...ROLES].sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a]);
    expect(sorted).toEqual(["owner", "admin", "member", "viewer"]);
  });

  it("hasRole is true exactly when the role is at least the minimum", () => {
    const order: Role[] = ["viewer", "member", "admin", "owner"];
    const table = order.map((role) => order.map((min) => hasRole(role, min)));
    expect(table).toEqual([
      [true, false, false, false],
      [true, true, false, false],
      [true, true, true, false],
      [true, true, true, true],
    ]);
  });

  it("names the permissions by role", () => {
    const order: Role[] = ["viewer", "member", "admin", "owner"];
    expect(order.map(canWrite)).toEqual([false, true, true, true]);
    expect(order.map(canManageMembers)).toEqual([false, false, true, true]);
    expect(order.map(canManageWorkspace)).toEqual([false, false, true, true]);
  });
});

import { describe, expect, it } from "vitest";
import { nextSort } from "@/components/ui/sort-head";
import { applyUrlChanges, oneOf } from "@/hooks/use-url-state";

describe("URL state", () => {
  it("applyUrlChanges sets values, removes undefined and empty ones, and keeps the rest", () => {
    expect(applyUrlChanges("q=tarot&type=blog&page=3", { q: "deck", page: undefined, status: "draft" })).toBe(
      "q=deck&type=blog&status=draft",
    );
    expect(applyUrlChanges("q=tarot", { q: "" })).toBe("");
    expect(applyUrlChanges("", { page: 2 })).toBe("page=2");
  });

  it("oneOf accepts only the listed values", () => {
    expect(oneOf("blog", ["blog", "email"] as const)).toBe("blog");
    expect(oneOf("BLOG", ["blog", "email"] as const)).toBeUndefined();
    expect(oneOf(null, ["blog"] as const)).toBeUndefined();
  });
});

describe("nextSort", () => {
  it("natural direction first, then the other, then back to the default order", () => {
    const state = { sort: "createdAt" as "createdAt" | "title", direction: "desc" as "asc" | "desc" };
    expect(nextSort(state, "title", "asc")).toEqual({ sort: "title", dir: "asc" });
    expect(nextSort({ sort: "title", direction: "asc" }, "title", "asc")).toEqual({ dir: "desc" });
    expect(nextSort({ sort: "title", direction: "desc" }, "title", "asc")).toEqual({
      sort: undefined,
      dir: undefined,
    });
  });
});

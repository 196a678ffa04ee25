import { describe, expect, it } from "vitest";
import { matchesSegment } from "@/cli/demo-seed/campaigns";
import { buildLeads } from "@/cli/demo-seed/leads";
import { createRng, SEED } from "@/cli/demo-seed/rng";

describe("demo seed", () => {
  it("the random sequence is the same on every run, and leads have unique emails", () => {
    const a = buildLeads(createRng(SEED), "ws", 0);
    const b = buildLeads(createRng(SEED), "ws", 0);
    expect(a).toEqual(b);
    expect(new Set(a.map((l) => l.email)).size).toBe(a.length);
    expect(buildLeads(createRng(SEED + 1), "ws", 0)).not.toEqual(a);
  });

  it("matchesSegment applies statuses, sources, any-of tags and excluded tags", () => {
    const lead = {
      workspaceId: "ws",
      email: "a@example.com",
      status: "active",
      source: "tiktok",
      tags: ["newsletter"],
    } as const;
    expect(
      matchesSegment({ ...lead, tags: [...lead.tags] }, { statuses: ["active"], tags: ["newsletter"] }),
    ).toBe(true);
    expect(matchesSegment({ ...lead, tags: [...lead.tags] }, { sources: ["blog"] })).toBe(false);
    expect(matchesSegment({ ...lead, tags: ["newsletter", "retailer"] }, { excludeTags: ["retailer"] })).toBe(
      false,
    );
    expect(matchesSegment({ ...lead, tags: [] }, { tags: ["customer"] })).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { campaignTemplates } from "@/cli/demo-seed/campaigns";
import { planContentHistory } from "@/cli/demo-seed/history";
import { buildLeads } from "@/cli/demo-seed/leads";
import { createRng, DAY, SEED } from "@/cli/demo-seed/rng";
import { createCampaignInput } from "@/server/services/email/campaign-schemas";
import { segmentCriteriaSchema } from "@/server/services/segments/criteria-schemas";

describe("demo seed", () => {
  it("the random sequence is the same on every run, and leads have unique emails", () => {
    const a = buildLeads(createRng(SEED), "ws", 0);
    const b = buildLeads(createRng(SEED), "ws", 0);
    expect(a).toEqual(b);
    expect(new Set(a.map((l) => l.email)).size).toBe(a.length);
    expect(buildLeads(createRng(SEED + 1), "ws", 0)).not.toEqual(a);
  });

  it("campaign templates use the app's own audience and trigger shapes", () => {
    for (const t of campaignTemplates()) {
      expect(segmentCriteriaSchema.parse(t.criteria)).toEqual(t.criteria);
      expect(createCampaignInput.safeParse({ ...t, audience: { criteria: t.criteria } }).success).toBe(true);
    }
  });

  it("an item's history: snapshots only grow and end at its current figures; its orders are drawn, not its revenue", () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const plan = (type: "tiktok" | "blog") => {
      let n = 0;
      return planContentHistory(createRng(SEED), {
        workspaceId: "ws",
        item: { id: "c1", type, publishedAt: new Date(now - 30 * DAY) },
        email: null,
        now,
        nextOrder: () => ++n,
      });
    };
    for (const type of ["tiktok", "blog"] as const) {
      const h = plan(type);
      expect(plan(type)).toEqual(h);
      expect(h.snapshots.length).toBe(30); // one a day after publication, and one a minute ago
      for (const [a, b] of h.snapshots.slice(1).map((s, i) => [h.snapshots[i]!, s] as const)) {
        expect(b.views).toBeGreaterThanOrEqual(a.views);
        expect(b.clicks).toBeGreaterThanOrEqual(a.clicks);
      }
      const last = h.snapshots.at(-1)!;
      expect(h.metrics).toMatchObject({ views: last.views, clicks: last.clicks });
      // Revenue and conversions are left to the crediting of these orders (the seed's last step).
      expect(h.metrics).not.toHaveProperty("revenue");
      expect(h.snapshots.some((x) => "revenue" in x || "conversions" in x)).toBe(false);
      expect(h.orders.length).toBeGreaterThan(0);
      expect(h.orders.every((o) => o.purchaseDate.getTime() < now && o.contentId === "c1")).toBe(true);
    }
  });
});

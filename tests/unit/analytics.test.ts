import { describe, expect, it } from "vitest";
import { toCsv } from "@/components/analytics/csv";
import { change } from "@/components/analytics/format";
import { eachDay, localToday, rangeInput, resolveRange } from "@/server/services/analytics/schemas";

describe("analytics ranges", () => {
  // 2026-03-08 03:30 UTC is still 2026-03-07 (22:30) in New York and already 04:30 on the 8th in Berlin.
  const now = new Date("2026-03-08T03:30:00Z");

  it("today is the workspace's local date", () => {
    expect(localToday("America/New_York", now)).toBe("2026-03-07");
    expect(localToday("Europe/Berlin", now)).toBe("2026-03-08");
    expect(localToday("UTC", now)).toBe("2026-03-08");
  });

  it("presets end today (inclusive) and the previous period has the same length", () => {
    const r = resolveRange(rangeInput.parse({ preset: "7d" }), "America/New_York", now);
    expect(r).toMatchObject({ from: "2026-03-01", to: "2026-03-07", days: 7 });
    expect(r.previous).toEqual({ from: "2026-02-22", to: "2026-02-28" });
    expect(resolveRange(rangeInput.parse({ preset: "today" }), "UTC", now)).toMatchObject({
      from: "2026-03-08",
      to: "2026-03-08",
      days: 1,
      previous: { from: "2026-03-07", to: "2026-03-07" },
    });
    expect(resolveRange(rangeInput.parse({ preset: "mtd" }), "Europe/Berlin", now)).toMatchObject({
      from: "2026-03-01",
      to: "2026-03-08",
      days: 8,
    });
    expect(resolveRange(rangeInput.parse({ preset: "90d" }), "UTC", now).days).toBe(90);
  });

  it("custom ranges are validated", () => {
    expect(rangeInput.safeParse({ preset: "custom", from: "2026-03-01" }).success).toBe(false);
    expect(rangeInput.safeParse({ preset: "custom", from: "2026-03-02", to: "2026-03-01" }).success).toBe(
      false,
    );
    expect(rangeInput.safeParse({ preset: "custom", from: "2026-02-29", to: "2026-03-01" }).success).toBe(
      false,
    );
    expect(rangeInput.safeParse({ preset: "custom", from: "2025-01-01", to: "2026-03-01" }).success).toBe(
      false,
    );
    expect(rangeInput.safeParse({ preset: "custom", from: "2026-02-01", to: "2026-03-01" }).success).toBe(
      true,
    );
  });

  it("every day of a range across a DST change, once", () => {
    expect(eachDay("2026-03-07", "2026-03-09")).toEqual(["2026-03-07", "2026-03-08", "2026-03-09"]);
    expect(eachDay("2026-10-24", "2026-10-26")).toHaveLength(3);
  });
});

describe("analytics formatting", () => {
  it("change versus previous: none from zero, exact otherwise", () => {
    expect(change(10, null)).toBeNull();
    expect(change(10, 0)).toBeNull();
    expect(change(0, 0)).toBe(0);
    expect(change(15, 10)).toBe(0.5);
  });

  it("CSV quotes what needs quoting and defuses formulas", () => {
    const csv = toCsv(
      [
        { a: 'He said "hi", then left', b: 3 },
        { a: "=HYPERLINK(1)", b: -2 },
      ],
      [
        { header: "Text", value: (r) => r.a },
        { header: "N", value: (r) => r.b },
      ],
    );
    expect(csv).toBe('Text,N\r\n"He said ""hi"", then left",3\r\n\'=HYPERLINK(1),-2\r\n');
  });
});

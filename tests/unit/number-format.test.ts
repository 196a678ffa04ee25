import { describe, expect, it } from "vitest";
import { fmtInt, fmtMoney, fmtPct, formatDecimal } from "@/components/analytics/format";

/** The Intl-free formatter must print exactly what Intl.NumberFormat("en-US") prints. */
const intl = (n: number, min: number, max: number) =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: min, maximumFractionDigits: max }).format(n);

describe("formatDecimal", () => {
  const edges = [
    0,
    -0,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    0.05,
    0.15,
    0.25,
    1.005,
    1.045,
    9.995,
    99.95,
    999.5,
    999_999.5,
    1234,
    -1234,
    1_234_567.891,
    12_345_678_901,
    0.000001,
    0.0000001,
    1e21,
    -1e21,
    123.456,
    0.1 + 0.2,
    Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0.04,
  ];
  const shapes: [number, number][] = [
    [0, 0],
    [0, 1],
    [2, 2],
    [0, 3],
  ];

  it("agrees with Intl on edge values", () => {
    for (const [min, max] of shapes)
      for (const n of edges) expect(formatDecimal(n, min, max), `${n} ${min}-${max}`).toBe(intl(n, min, max));
  });

  it("agrees with Intl on 20,000 random values of every size", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(random() * 14 - 4);
      const n = (random() - 0.3) * magnitude;
      const rounded = i % 3 === 0 ? Math.round(n * 1000) / 1000 : n; // values with few decimals hit ties
      const [min, max] = shapes[i % shapes.length]!;
      expect(formatDecimal(rounded, min, max), `${rounded} ${min}-${max}`).toBe(intl(rounded, min, max));
    }
  });

  it("is what the figures use", () => {
    expect(fmtInt(42_315.6)).toBe("42,316");
    expect(fmtPct(0.12345)).toBe("12.3%");
    expect(fmtPct(null)).toBe("—");
    expect(fmtMoney("1234.5", null)).toBe("1,234.50");
    expect(fmtMoney("1234.5", "USD")).toBe("$1,234.50");
  });
});

/**
 * Demo data for a small card-game company ("Fernwood Games", maker of the Thornfall card game), so a
 * fresh workspace shows what the dashboard looks like in use. Deterministic: the same seed gives the
 * same people, posts and numbers on every run (dates are relative to now).
 */

export const SEED = 0x7f4a_2026;
export const DAY = 86_400_000;
export const STORE = "https://fernwood.example.com";

/** mulberry32: tiny, fast, good enough for demo data, and identical on every platform. */
export function createRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  };
  const between = (min: number, max: number) => min + next() * (max - min);
  /** Log-uniform: view counts spread over orders of magnitude, like real posts. */
  const logBetween = (min: number, max: number) =>
    Math.round(Math.exp(between(Math.log(min), Math.log(max))));
  return { next, int, pick, weighted, between, logBetween, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof createRng>;

export function isoDay(d: Date) {
  return d.toISOString().slice(0, 10);
}

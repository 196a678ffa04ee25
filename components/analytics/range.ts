import { RANGE_PRESETS, type RangePreset } from "@/lib/enums";

export interface RangeState {
  preset: RangePreset;
  from?: string;
  to?: string;
  compare: boolean;
}

/**
 * The period a page's URL asks for (?range=30d&from=…&to=…&compare=0). The client hook (use-range.ts)
 * and a server page prefetching the same query read it alike, so both ask with the same input.
 */
export function rangeFromParams(
  get: (name: string) => string | null,
  defaultPreset: RangePreset,
): RangeState {
  const p = get("range") as RangePreset | null;
  const preset = p && (RANGE_PRESETS as readonly string[]).includes(p) ? p : defaultPreset;
  const from = get("from") ?? undefined;
  const to = get("to") ?? undefined;
  const compare = get("compare") !== "0";
  if (preset === "custom" && (!from || !to)) return { preset: defaultPreset, compare };
  return preset === "custom" ? { preset, from, to, compare } : { preset, compare };
}

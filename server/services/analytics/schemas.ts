import { z } from "zod";

import { RANGE_PRESETS, type RangePreset } from "@/lib/enums";

export { RANGE_PRESETS, type RangePreset };
export const MAX_RANGE_DAYS = 366;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-01")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "Not a real calendar date");

/** A period in the workspace's own calendar: a preset ending today, or custom local dates. */
export const rangeInput = z
  .object({
    preset: z.enum(RANGE_PRESETS).default("30d"),
    from: isoDate.optional(),
    to: isoDate.optional(),
    compare: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.preset !== "custom") return;
    if (!v.from || !v.to) {
      ctx.addIssue({
        code: "custom",
        path: ["from"],
        message: "A custom range needs a start and an end date",
      });
      return;
    }
    if (v.from > v.to)
      ctx.addIssue({ code: "custom", path: ["to"], message: "The end date is before the start date" });
    else if (daysBetween(v.from, v.to) + 1 > MAX_RANGE_DAYS)
      ctx.addIssue({ code: "custom", path: ["to"], message: `Pick at most ${MAX_RANGE_DAYS} days` });
  });
export type RangeInput = z.input<typeof rangeInput>;

export const leadsInput = rangeInput.safeExtend({
  granularity: z.enum(["day", "week", "month"]).default("day"),
});
export type LeadsInput = z.input<typeof leadsInput>;

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A formatter per time zone: making one costs far more than formatting (each request asks). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's date in a time zone, as YYYY-MM-DD. */
export function localToday(timeZone: string, now = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    if (dayFormats.size < 1000) dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

export interface ResolvedRange {
  preset: RangePreset;
  from: string;
  to: string;
  days: number;
  compare: boolean;
  previous: { from: string; to: string };
}

/** Local dates of the period and the previous period of the same length, ending the day before. */
export function resolveRange(
  input: z.output<typeof rangeInput>,
  timeZone: string,
  now = new Date(),
): ResolvedRange {
  const today = localToday(timeZone, now);
  let from = today;
  let to = today;
  if (input.preset === "7d") from = addDays(today, -6);
  else if (input.preset === "30d") from = addDays(today, -29);
  else if (input.preset === "90d") from = addDays(today, -89);
  else if (input.preset === "mtd") from = `${today.slice(0, 8)}01`;
  else if (input.preset === "custom") {
    from = input.from!;
    to = input.to!;
  }
  const days = daysBetween(from, to) + 1;
  return {
    preset: input.preset,
    from,
    to,
    days,
    compare: input.compare,
    previous: { from: addDays(from, -days), to: addDays(from, -1) },
  };
}

/** Every local date from `from` to `to`. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

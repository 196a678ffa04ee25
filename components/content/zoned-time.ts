import { TZDate, tz } from "@date-fns/tz";
import { format } from "date-fns/format";

/**
 * Calendar days and wall-clock times in the WORKSPACE's time zone, not the browser's: a post
 * scheduled for 09:00 in Berlin shows on the same day and hour for a teammate in Tokyo.
 * Days are "YYYY-MM-DD" keys; instants are plain Dates.
 */

export function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** "YYYY-MM-DD" of an instant in the zone. */
export function dayKey(instant: Date, timeZone: string): string {
  return format(instant, "yyyy-MM-dd", { in: tz(safeZone(timeZone)) });
}

/** "HH:mm" (24 h) of an instant in the zone. */
export function timeKey(instant: Date, timeZone: string): string {
  return format(instant, "HH:mm", { in: tz(safeZone(timeZone)) });
}

export function parseDayKey(key: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return { y, m, d };
}

export function parseTimeKey(key: string): { h: number; min: number } | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(key);
  if (!match) return null;
  const [h, min] = [Number(match[1]), Number(match[2])];
  if (h > 23 || min > 59) return null;
  return { h, min };
}

/** The instant that the wall-clock `date` + `time` names in the zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date | null {
  const d = parseDayKey(date);
  const t = parseTimeKey(time);
  if (!d || !t) return null;
  const z = new TZDate(d.y, d.m - 1, d.d, t.h, t.min, safeZone(timeZone));
  // Reject overflow such as 2026-02-31 (TZDate would roll it into March).
  if (format(z, "yyyy-MM-dd") !== date) return null;
  return new Date(z.getTime());
}

/** Adds whole calendar days to a day key (no time zone involved: it is a date, not an instant). */
export function addDaysToKey(key: string, days: number): string {
  const p = parseDayKey(key);
  if (!p) return key;
  const utc = new Date(Date.UTC(p.y, p.m - 1, p.d + days));
  return utc.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOfKey(key: string): number {
  const p = parseDayKey(key);
  if (!p) return 0;
  return (new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay() + 6) % 7;
}

export function startOfWeekKey(key: string): string {
  return addDaysToKey(key, -weekdayOfKey(key));
}

export function startOfMonthKey(key: string): string {
  return `${key.slice(0, 7)}-01`;
}

export function addMonthsToKey(key: string, months: number): string {
  const p = parseDayKey(key);
  if (!p) return key;
  const first = new Date(Date.UTC(p.y, p.m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(p.d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** Midnight at the start of the day key, in the zone. */
export function startOfDayInstant(key: string, timeZone: string): Date {
  return zonedInstant(key, "00:00", timeZone) ?? new Date(`${key}T00:00:00Z`);
}

const labelFormats = new Map<string, Intl.DateTimeFormat>();
function labelFormat(options: Intl.DateTimeFormatOptions) {
  const k = JSON.stringify(options);
  let f = labelFormats.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
    labelFormats.set(k, f);
  }
  return f;
}

/** Formats a day key for people, e.g. "Thu, Dec 3". The key is a date, so format it in UTC. */
export function formatDayKey(key: string, options: Intl.DateTimeFormatOptions): string {
  const p = parseDayKey(key);
  if (!p) return key;
  return labelFormat(options).format(new Date(Date.UTC(p.y, p.m - 1, p.d, 12)));
}

/** "9:30 AM" in the zone. */
export function formatTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    hour: "numeric",
    minute: "2-digit",
    timeZone: safeZone(timeZone),
  }).format(instant);
}

/** e.g. "Europe/Berlin (GMT+1)" — the zone the workspace schedules in. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const zone = safeZone(timeZone);
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return part ? `${zone} (${part})` : zone;
}

/** Today's day key in the zone. */
export function todayKey(timeZone: string): string {
  return dayKey(new Date(), timeZone);
}

let relativeFormat: Intl.RelativeTimeFormat | undefined;
/**
 * "in 3 hours", "yesterday": made on first use, not when the module loads — the first Intl object a
 * page makes loads the locale data, a long task on a phone for pages that never show a relative time.
 */
export function relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit): string {
  relativeFormat ??= new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
  return relativeFormat.format(value, unit);
}

/** "3 minutes ago", "yesterday", … */
export function formatRelative(d: Date | string, now: number = Date.now()): string {
  const date = typeof d === "string" ? new Date(d) : d;
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relativeTime(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relativeTime(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86_400) return relativeTime(Math.round(seconds / 86_400), "day");
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric" }).format(date);
}

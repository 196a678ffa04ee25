import { addDaysToKey, dayKey, timeKey, zonedInstant } from "@/components/content/zoned-time";
import type { QuietHours } from "./send-time-schemas";

const pad = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** Whether `now` falls in the quiet hours, read on the wall clock of `timeZone`. */
export function inQuietHours(q: QuietHours, timeZone: string, now: Date): boolean {
  const [h] = timeKey(now, timeZone).split(":").map(Number) as [number];
  return q.from < q.to ? h >= q.from && h < q.to : h >= q.from || h < q.to;
}

/**
 * When the quiet hours `now` falls in end (the next `to`:00 of the zone's wall clock); null when
 * `now` is not in them. A `to` hour that a DST change skips ends at the first instant after it.
 */
export function quietHoursEnd(q: QuietHours, timeZone: string, now: Date): Date | null {
  if (!inQuietHours(q, timeZone, now)) return null;
  const today = dayKey(now, timeZone);
  for (const day of [today, addDaysToKey(today, 1)]) {
    const end = zonedInstant(day, pad(q.to), timeZone);
    if (end && end.getTime() > now.getTime()) return end;
  }
  return null;
}

/** The zones furthest ahead (UTC+14) and behind (UTC−12): when a wall-clock time first and last occurs. */
export const EARLIEST_ZONE = "Etc/GMT-14";
export const LATEST_ZONE = "Etc/GMT+12";

/**
 * A local send time's span on Earth: `first`, when it is `date time` somewhere (the campaign starts
 * then and each lead's message waits for its own zone), and `last`, when it stops being so anywhere.
 */
export function localSendSpan(date: string, time: string): { first: Date; last: Date } | null {
  const first = zonedInstant(date, time, EARLIEST_ZONE);
  const last = zonedInstant(date, time, LATEST_ZONE);
  return first && last ? { first, last } : null;
}

import { addDaysToKey, dayKey, weekdayOfKey, zonedInstant } from "@/components/content/zoned-time";
import type { QueueSlot } from "../workspaces/publishing-schemas";

/** How far ahead the queue looks for a free slot. */
export const QUEUE_HORIZON_DAYS = 366;

/**
 * The instants of the weekly slots after `from`, in order, over `days` calendar days of the zone.
 * Each slot is a wall-clock time in the workspace's zone, so 09:00 stays 09:00 across a DST change
 * (a time the change skips becomes the first time after it).
 */
export function* upcomingSlots(slots: QueueSlot[], timeZone: string, from: Date, days: number) {
  if (slots.length === 0) return;
  const start = dayKey(from, timeZone);
  let last = from.getTime();
  for (let i = 0; i <= days; i++) {
    const key = addDaysToKey(start, i);
    const weekday = weekdayOfKey(key);
    const instants = slots
      .filter((s) => s.day === weekday)
      .map((s) => zonedInstant(key, s.time, timeZone))
      .filter((at): at is Date => at !== null)
      .sort((a, b) => a.getTime() - b.getTime());
    for (const at of instants) {
      // Strictly increasing: drops past times and two slots that a DST gap folds into one instant.
      if (at.getTime() <= last) continue;
      last = at.getTime();
      yield at;
    }
  }
}

/** The first slot after `now` at which nothing in `taken` is scheduled; null when all are taken. */
export function nextFreeSlot(p: {
  slots: QueueSlot[];
  timeZone: string;
  taken: Iterable<Date>;
  now: Date;
  horizonDays?: number;
}): Date | null {
  const taken = new Set([...p.taken].map((d) => d.getTime()));
  for (const at of upcomingSlots(p.slots, p.timeZone, p.now, p.horizonDays ?? QUEUE_HORIZON_DAYS)) {
    if (!taken.has(at.getTime())) return at;
  }
  return null;
}

import { z } from "zod";

/** 0 = Monday … 6 = Sunday (the calendar's week starts on Monday). */
export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

export const queueSlotSchema = z.object({
  day: z.number().int().min(0).max(6),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time such as 09:00"),
});
export type QueueSlot = z.infer<typeof queueSlotSchema>;

/**
 * The `publishing` section of a workspace's settings: the posting queue's weekly slots (wall-clock
 * times in the workspace's time zone) and whether members need an admin's approval to publish,
 * schedule or send.
 */
export const publishingSettingsInput = z.object({
  slots: z
    .array(queueSlotSchema)
    .max(100, "At most 100 slots a week")
    .default([])
    .refine(
      (slots) => new Set(slots.map((s) => `${s.day} ${s.time}`)).size === slots.length,
      "Each slot may appear only once",
    )
    .transform((slots) => [...slots].sort((a, b) => a.day - b.day || a.time.localeCompare(b.time))),
  requireApproval: z.boolean().default(false),
});
export type PublishingSettings = z.output<typeof publishingSettingsInput>;

export const DEFAULT_PUBLISHING_SETTINGS: PublishingSettings = { slots: [], requireApproval: false };

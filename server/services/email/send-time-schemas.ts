import { z } from "zod";

const hour = z
  .number({ error: "Pick an hour" })
  .int("Pick a whole hour")
  .min(0, "Hours run from 0 to 23")
  .max(23, "Hours run from 0 to 23");

/**
 * The workspace's quiet hours (settings section `quietHours`): no campaign or sequence mail leaves
 * from `from`:00 up to `to`:00, in the workspace's time zone; `from` > `to` spans midnight (21 → 8).
 * Absent = none.
 */
export const quietHoursSchema = z.object({ from: hour, to: hour }).refine((q) => q.from !== q.to, {
  message: "Quiet hours need a start and an end that differ",
  path: ["to"],
});
export type QuietHours = z.output<typeof quietHoursSchema>;

export const setQuietHoursInput = z.object({ quietHours: quietHoursSchema.nullable() });

const dayKeySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Pick a date (YYYY-MM-DD)")
  .pipe(z.iso.date("Not a calendar date"));
const timeKeySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Pick a time (HH:MM)");

/** "Send at a local time": `date` + `time` on the wall clock of each lead's own zone. */
export const scheduleLocalInput = z.object({ id: z.uuid(), date: dayKeySchema, time: timeKeySchema });
export type ScheduleLocalInput = z.infer<typeof scheduleLocalInput>;

export const setLeadTimeZoneInput = z.object({
  id: z.uuid("Lead id must be a UUID"),
  timeZone: z.string().trim().max(64, "Time zone names are at most 64 characters").nullable(),
});

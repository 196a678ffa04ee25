/** The `localTime` of a campaign's `schedule` jsonb ("YYYY-MM-DDTHH:MM"), when it has a valid one. */
export function scheduledLocalTime(schedule: unknown): string | null {
  const v = (schedule as { localTime?: unknown } | null)?.localTime;
  return typeof v === "string" && /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/.test(v) ? v : null;
}

/** The schedule without its local send time (a plain schedule or unscheduling clears it). */
export function withoutLocalTime(schedule: unknown): Record<string, unknown> {
  const { localTime: _drop, ...rest } = (schedule ?? {}) as Record<string, unknown>;
  return rest;
}

import { sql } from "drizzle-orm";
import { resolveLeadTimeZone, TIME_ZONE_FIELD_KEYS, validTimeZone } from "@/lib/lead-time-zone";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";

/**
 * The zone names the database knows. A stored lead zone is used in `AT TIME ZONE` for a whole
 * audience at once, so one name the database does not know would fail the campaign's start: only
 * names both Intl and PostgreSQL know are stored. Read once per process (the list is static).
 */
let zones: Promise<Set<string>> | null = null;

export function databaseTimeZones(db: Db): Promise<Set<string>> {
  zones ??= db
    .execute(sql`select name from pg_timezone_names`)
    .then((r) => new Set(rowsOf<{ name: string }>(r).map((x) => x.name)))
    .catch((err) => {
      zones = null;
      throw err;
    });
  return zones;
}

/** A lead's zone (see resolveLeadTimeZone) limited to names the database knows. */
export async function leadTimeZone(
  db: Db,
  p: { explicit?: unknown[]; customFields?: Record<string, unknown> | null },
): Promise<string | null> {
  const known = await databaseTimeZones(db);
  return resolveLeadTimeZone(p, (z) => known.has(z));
}

/** A zone typed by a person (the lead page): its canonical name when both Intl and the database know it. */
export async function checkedTimeZone(db: Db, value: string): Promise<string | null> {
  const zone = validTimeZone(value);
  if (!zone) return null;
  return (await databaseTimeZones(db)).has(zone) ? zone : null;
}

/**
 * A lead's zone after its custom fields changed: a valid `timezone` field sets it; otherwise a zone
 * it already has stays (set by a form, a person or the field before); otherwise its country's.
 */
export async function zoneAfterFieldChange(
  db: Db,
  current: string | null,
  customFields: Record<string, unknown>,
): Promise<string | null> {
  const known = await databaseTimeZones(db);
  const isKnown = (z: string) => known.has(z);
  const explicit = resolveLeadTimeZone(
    { explicit: TIME_ZONE_FIELD_KEYS.map((k) => customFields[k]) },
    isKnown,
  );
  return explicit ?? current ?? resolveLeadTimeZone({ customFields }, isKnown);
}

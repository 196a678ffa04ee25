import "server-only";
import { getAllCountries } from "countries-and-timezones";
import { sql } from "drizzle-orm";
import { countryTimeZone } from "@/lib/lead-time-zone";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { databaseTimeZones } from "../leads/time-zone";

let countryMap: Promise<Record<string, string>> | null = null;

/** Lower-cased ISO codes and English names → the country's main zone (names the database knows). */
function countryZones(db: Db): Promise<Record<string, string>> {
  countryMap ??= databaseTimeZones(db).then((known) => {
    const map: Record<string, string> = {};
    for (const c of Object.values(getAllCountries())) {
      const zone = countryTimeZone(c.id);
      if (!zone || !known.has(zone)) continue;
      map[c.id.toLowerCase()] = zone;
      map[c.name.toLowerCase()] = zone;
    }
    for (const alias of ["usa", "united states", "uk", "great britain", "england", "russia", "south korea"]) {
      const zone = countryTimeZone(alias);
      if (zone && known.has(zone)) map[alias] = zone;
    }
    return map;
  });
  return countryMap;
}

/**
 * After an import: the zones of the workspace's leads from their `timezone` and `country` fields,
 * in one UPDATE (the import's rows are merged in bulk, not one by one). A `timezone` value the
 * database knows wins (case aside); a lead keeps a zone it has; else its country's main zone.
 * Returns how many leads changed.
 */
export async function fillLeadTimeZones(db: Db, workspaceId: string): Promise<number> {
  const map = await countryZones(db);
  const result = await db.execute(sql`
    with zones as (
      select min(name) as name, lower(name) as lname from pg_timezone_names
      where name !~ '^(posix|right)/' and name not in ('Factory', 'posixrules', 'localtime')
      group by lower(name)
    ),
    countries as (select key, value as zone from jsonb_each_text(${JSON.stringify(map)}::jsonb)),
    next as (
      select l.id, coalesce(z.name, l.time_zone, c.zone) as zone
      from leads l
      left join zones z on z.lname = lower(trim(l.custom_fields ->> 'timezone'))
      left join countries c on c.key = lower(trim(l.custom_fields ->> 'country'))
      where l.workspace_id = ${workspaceId}
        and (l.custom_fields ? 'timezone' or l.custom_fields ? 'country')
    ),
    changed as (
      update leads l set time_zone = next.zone
      from next
      where l.id = next.id and l.workspace_id = ${workspaceId} and next.zone is distinct from l.time_zone
      returning 1
    )
    select count(*)::int as n from changed`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

import { getAllCountries, getCountry, getTimezone } from "countries-and-timezones";

/** An IANA zone name's shape: letters first, then letters, digits, `_ + - /` (no bare offsets). */
const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/**
 * The zone's canonical IANA name when `value` names a zone Intl knows ("asia/tokyo" → "Asia/Tokyo",
 * "US/Eastern" → "America/New_York"); null for anything else, offsets like "+09:00" included.
 */
export function validTimeZone(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const name = value.trim();
  if (!ZONE_SHAPE.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    return ZONE_SHAPE.test(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

/**
 * Countries spanning several zones: the zone most of their people live in. The others take the
 * first zone the country is the main country of (Germany → Europe/Berlin, not Europe/Zurich).
 */
const MAIN_ZONE: Record<string, string> = {
  US: "America/New_York",
  CA: "America/Toronto",
  AU: "Australia/Sydney",
  BR: "America/Sao_Paulo",
  RU: "Europe/Moscow",
  MX: "America/Mexico_City",
  ID: "Asia/Jakarta",
  CN: "Asia/Shanghai",
  KZ: "Asia/Almaty",
  AR: "America/Argentina/Buenos_Aires",
  ES: "Europe/Madrid",
  PT: "Europe/Lisbon",
  CL: "America/Santiago",
  EC: "America/Guayaquil",
  NZ: "Pacific/Auckland",
  MN: "Asia/Ulaanbaatar",
  MY: "Asia/Kuala_Lumpur",
  PG: "Pacific/Port_Moresby",
  KI: "Pacific/Tarawa",
  GL: "America/Nuuk",
  PF: "Pacific/Tahiti",
  CD: "Africa/Kinshasa",
  UA: "Europe/Kyiv",
};

/** Everyday English names the library spells differently. */
const NAME_ALIASES: Record<string, string> = {
  usa: "US",
  "united states": "US",
  "united states of america": "US",
  uk: "GB",
  "great britain": "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  "czech republic": "CZ",
  czechia: "CZ",
  holland: "NL",
  "the netherlands": "NL",
  "korea, republic of": "KR",
  korea: "KR",
  "south korea": "KR",
  russia: "RU",
  "russian federation": "RU",
  uae: "AE",
  "ivory coast": "CI",
  "côte d'ivoire": "CI",
  "cote d'ivoire": "CI",
  vietnam: "VN",
  "viet nam": "VN",
};

let byName: Map<string, string> | null = null;

function countryCode(value: string): string | null {
  const v = value.trim();
  const key = v.toLowerCase().replace(/\s+/g, " ");
  if (NAME_ALIASES[key]) return NAME_ALIASES[key];
  if (/^[A-Za-z]{2}$/.test(v)) {
    const code = v.toUpperCase();
    return getCountry(code as Parameters<typeof getCountry>[0]) ? code : null;
  }
  if (!byName) {
    byName = new Map();
    for (const c of Object.values(getAllCountries())) byName.set(c.name.toLowerCase(), c.id);
  }
  return byName.get(key) ?? null;
}

/** The main zone of a country given as an ISO 3166 alpha-2 code or its English name; null when unknown. */
export function countryTimeZone(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 100) return null;
  const code = countryCode(value);
  if (!code) return null;
  const country = getCountry(code as Parameters<typeof getCountry>[0]);
  if (!country || country.timezones.length === 0) return null;
  const main =
    MAIN_ZONE[code] ??
    country.timezones.find((z) => getTimezone(z)?.countries[0] === code) ??
    country.timezones[0];
  return validTimeZone(main);
}

/** Custom field keys read for a lead's zone and country (the first one present counts). */
export const TIME_ZONE_FIELD_KEYS = ["timezone", "time_zone", "tz"] as const;
export const COUNTRY_FIELD_KEYS = ["country", "country_code"] as const;

/**
 * A lead's zone from what is known about it: the first valid explicit zone (a browser's zone sent
 * with a form, the `timezone` custom field) wins; else the country's main zone; else null (the
 * workspace's zone applies). `known` narrows valid names further (the database's zone list).
 */
export function resolveLeadTimeZone(
  p: { explicit?: unknown[]; customFields?: Record<string, unknown> | null },
  known: (zone: string) => boolean = () => true,
): string | null {
  const fields = p.customFields ?? {};
  const explicit = [...(p.explicit ?? []), ...TIME_ZONE_FIELD_KEYS.map((k) => fields[k])];
  for (const candidate of explicit) {
    const zone = validTimeZone(candidate);
    if (zone && known(zone)) return zone;
  }
  for (const key of COUNTRY_FIELD_KEYS) {
    const zone = countryTimeZone(fields[key]);
    if (zone && known(zone)) return zone;
  }
  return null;
}

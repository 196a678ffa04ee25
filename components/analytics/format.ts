/*
 * Number formats are made once per kind and reused: `toLocaleString` with options builds a new
 * Intl.NumberFormat on every call, which made formatting the Overview's figures a long task on a phone.
 */
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-US", options);
    formats.set(key, format);
  }
  return format;
}

export const fmtInt = (n: number) => numberFormat("int", { maximumFractionDigits: 0 }).format(n);
export const fmtPct = (r: number | null | undefined) =>
  r === null || r === undefined
    ? "—"
    : `${numberFormat("pct", { maximumFractionDigits: 1 }).format(r * 100)}%`;
export function fmtMoney(value: string | number, currency: string | null | undefined) {
  const n = Number(value);
  if (!currency)
    return numberFormat("amount", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
  try {
    return numberFormat(`currency:${currency}`, { style: "currency", currency }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}
/** Change versus the previous period, as a signed percentage; null when there is nothing to compare. */
export function change(value: number, previous: number | null | undefined): number | null {
  if (previous === null || previous === undefined) return null;
  if (previous === 0) return value === 0 ? 0 : null;
  return (value - previous) / previous;
}
export function ago(iso: string | null | undefined, now = Date.now()): string | null {
  if (!iso) return null;
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}
/** "Mar 7" from a local date string (no time-zone shift: the string already is the local day). */
let dayFormat: Intl.DateTimeFormat | undefined;
export function fmtDay(day: string) {
  dayFormat ??= new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  return dayFormat.format(new Date(`${day}T12:00:00Z`));
}

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

/**
 * What `Intl.NumberFormat("en-US", { minimumFractionDigits, maximumFractionDigits })` prints, made
 * without Intl: the first Intl number format a page makes loads ICU's locale data, a 100 ms task on a
 * phone while the Overview hydrates. Same rules: the number's shortest decimal form, rounded half away
 * from zero, comma groups, "-" for negatives (and -0). Exponent forms and non-finite values go to Intl.
 */
export function formatDecimal(n: number, minDigits: number, maxDigits: number): string {
  const plain = Math.abs(n).toString();
  if (!Number.isFinite(n) || plain.includes("e"))
    return numberFormat(`decimal:${minDigits}:${maxDigits}`, {
      minimumFractionDigits: minDigits,
      maximumFractionDigits: maxDigits,
    }).format(n);
  let [whole = "0", fraction = ""] = plain.split(".");
  if (fraction.length > maxDigits) {
    const roundUp = fraction.charCodeAt(maxDigits) >= 53; // "5" or more
    fraction = fraction.slice(0, maxDigits);
    if (roundUp) {
      const digits = (BigInt(whole + fraction) + 1n).toString().padStart(whole.length + maxDigits, "0");
      whole = digits.slice(0, digits.length - maxDigits);
      fraction = digits.slice(digits.length - maxDigits);
    }
  }
  fraction = fraction.replace(/0+$/, "").padEnd(minDigits, "0");
  const sign = n < 0 || Object.is(n, -0) ? "-" : "";
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${grouped}${fraction ? `.${fraction}` : ""}`;
}

export const fmtInt = (n: number) => formatDecimal(n, 0, 0);
export const fmtPct = (r: number | null | undefined) =>
  r === null || r === undefined ? "—" : `${formatDecimal(r * 100, 0, 1)}%`;
export function fmtMoney(value: string | number, currency: string | null | undefined) {
  const n = Number(value);
  if (!currency) return formatDecimal(n, 2, 2);
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

export const fmtInt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });
export const fmtPct = (r: number | null | undefined) =>
  r === null || r === undefined ? "—" : `${(r * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })}%`;
export function fmtMoney(value: string | number, currency: string | null | undefined) {
  const n = Number(value);
  if (!currency) return n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  try {
    return n.toLocaleString("en-US", { style: "currency", currency });
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
export function fmtDay(day: string) {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
}

import { csvCell } from "@/lib/csv-safe";

// Sums come from Postgres as decimal text ("-12.50"); in a numeric column that text is a number.
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * CSV of rows: RFC 4180 quoting, and the app's one formula neutralisation (`csvCell`), the same as
 * the leads export's.
 */
export function toCsv<T>(
  rows: T[],
  columns: { header: string; value: (r: T) => unknown; numeric?: boolean }[],
): string {
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const cell = (v: unknown, numeric?: boolean) =>
    quote(numeric && typeof v === "string" && DECIMAL.test(v) ? v : csvCell(v));
  const lines = [columns.map((c) => cell(c.header)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r), c.numeric)).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function downloadCsv(filename: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

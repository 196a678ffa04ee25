/**
 * Formula neutralisation for every CSV the app writes (leads export, the import's rejected rows,
 * analytics exports). Spreadsheet apps run a cell starting with = + - @ (or a tab / carriage
 * return) as a formula; a leading quote makes it text. Imports nothing, so the browser bundle and
 * the server share this one rule.
 */
export function csvSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * One value as CSV cell text: numbers stay numbers (a finite number's text cannot be a formula),
 * dates are ISO, objects JSON, and all other text goes through `csvSafe`.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (typeof value === "object") return csvSafe(JSON.stringify(value));
  return csvSafe(String(value));
}

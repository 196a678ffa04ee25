/**
 * "Plan tier (2024)" → "plan_tier_2024"; always matches the custom field table's key CHECK.
 * Pure (no server imports): the import page derives the keys of the columns it keeps with it.
 */
export function fieldKeyFromLabel(label: string): string {
  const base = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 56)
    .replace(/_+$/, "");
  if (!base) return "field";
  return /^[a-z]/.test(base) ? base : `f_${base}`;
}

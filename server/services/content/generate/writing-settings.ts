import "server-only";
import { z } from "zod";
import { optionalText } from "./ai-config";

/** Brand voice and product catalogue: workspace settings, loosely typed, so read defensively. */

export interface CatalogueProduct {
  name: string;
  description?: string;
  url?: string;
  price?: string;
}

/** What the writers read from workspace settings; pass `workspace.settings` as is. */
export interface WritingSettings {
  brandVoice?: unknown;
  products?: unknown;
}

const catalogueEntrySchema = z.union([
  z
    .string()
    .trim()
    .min(1)
    .max(200)
    .transform((name): CatalogueProduct => ({ name })),
  z
    .object({
      name: z.string().trim().min(1).max(200),
      description: optionalText,
      url: optionalText,
      price: z
        .union([z.string().trim().max(50), z.number()])
        .optional()
        .catch(undefined)
        .transform((v) => (v === undefined || v === "" ? undefined : String(v))),
    })
    .transform((p): CatalogueProduct => p),
]);

export function readWritingSettings(settings: WritingSettings | null | undefined) {
  const voice = typeof settings?.brandVoice === "string" ? settings.brandVoice.trim().slice(0, 2000) : "";
  const products: CatalogueProduct[] = [];
  if (Array.isArray(settings?.products)) {
    for (const entry of settings.products.slice(0, 500)) {
      const parsed = catalogueEntrySchema.safeParse(entry);
      if (parsed.success) products.push(parsed.data);
    }
  }
  return { brandVoice: voice || null, products };
}

/** The catalogue entry named `name`, ignoring case and extra spaces. */
export function findCatalogueProduct(products: CatalogueProduct[], name: string): CatalogueProduct | null {
  const key = normalizeName(name);
  return products.find((p) => normalizeName(p.name) === key) ?? null;
}

function normalizeName(name: string) {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

import { z } from "zod";

export const productSchema = z.object({
  name: z.string().trim().min(1, "Name the product").max(120, "Product names are at most 120 characters"),
  description: z.string().trim().max(1000, "Descriptions are at most 1,000 characters").default(""),
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((v) => v === "" || /^https?:\/\//i.test(v), "Use an http(s) link")
    .default(""),
  price: z.string().trim().max(40, "Price is at most 40 characters").default(""),
});
export type Product = z.infer<typeof productSchema>;

/** What the AI writer knows about the brand: its voice and the products it sells. */
export const brandSettingsInput = z.object({
  brandVoice: z.string().trim().max(2000, "Brand voice is at most 2,000 characters").default(""),
  products: z
    .array(productSchema)
    .max(100, "At most 100 products")
    .default([])
    .refine(
      (list) => new Set(list.map((p) => p.name.toLowerCase())).size === list.length,
      "Each product needs a different name",
    ),
});
export type BrandSettings = z.infer<typeof brandSettingsInput>;

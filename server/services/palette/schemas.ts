import { z } from "zod";

/** Results of each kind the palette shows for one query. */
export const PALETTE_LIMIT_PER_KIND = 5;

export const paletteSearchInput = z.object({
  query: z.string().trim().max(100, "Search for at most 100 characters").default(""),
});
export type PaletteSearchInput = z.input<typeof paletteSearchInput>;

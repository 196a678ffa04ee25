import { z } from "zod";

export const IMPORT_POLICIES = ["skip", "update"] as const;
export type ImportPolicy = (typeof IMPORT_POLICIES)[number];

const header = z.string().max(500);

/** The custom field types an import creates for a kept column (the others need options or care). */
export const KEPT_FIELD_TYPES = ["text", "number", "date"] as const;
export type KeptFieldType = (typeof KEPT_FIELD_TYPES)[number];

/**
 * A column kept as a custom field: the field whose key derives from `label` (reused when the
 * workspace has one, else created with `type` when the import starts).
 */
export const keptColumnSchema = z.object({
  header,
  label: z
    .string()
    .trim()
    .min(1, "A kept column needs a field name")
    .max(120, "Field names must be at most 120 characters"),
  type: z.enum(KEPT_FIELD_TYPES).default("text"),
});
export type KeptColumn = z.input<typeof keptColumnSchema>;

/**
 * Which column feeds each lead field; `name` may join two columns (first and last name). Columns
 * in none of them (nor in `keep`) are ignored.
 */
export const importMappingSchema = z.object({
  email: header,
  name: z.union([header, z.tuple([header, header])]).optional(),
  tags: header.optional(),
  source: header.optional(),
  custom: z.record(z.string().max(64), header).default({}),
  keep: z.array(keptColumnSchema).max(200, "At most 200 columns can be kept").default([]),
});
export type ImportMapping = z.input<typeof importMappingSchema>;

export const uploadIdSchema = z.uuid("uploadId must be a UUID");

export const previewImportInput = z.object({ uploadId: uploadIdSchema });
export type PreviewImportInput = z.infer<typeof previewImportInput>;

export const startImportInput = z.object({
  uploadId: uploadIdSchema,
  mapping: importMappingSchema,
  policy: z.enum(IMPORT_POLICIES).default("skip"),
  tags: z.array(z.string().max(50)).max(50).default([]),
  source: z.string().trim().max(255).optional(),
});
export type StartImportInput = z.input<typeof startImportInput>;

/** What a finished import reports (also the job run's `result`). */
export interface ImportResult {
  imported: number;
  updated: number;
  skipped: number;
  invalid: number;
  /** Of `invalid`, rows whose email appeared earlier in the file. */
  duplicates: number;
  total: number;
  rejectedUrl: string | null;
}

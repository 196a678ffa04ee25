import { z } from "zod";

export const IMPORT_POLICIES = ["skip", "update"] as const;
export type ImportPolicy = (typeof IMPORT_POLICIES)[number];

const header = z.string().max(500);

/** Which column feeds each lead field; `name` may join two columns (first and last name). */
export const importMappingSchema = z.object({
  email: header,
  name: z.union([header, z.tuple([header, header])]).optional(),
  tags: header.optional(),
  source: header.optional(),
  custom: z.record(z.string().max(64), header).default({}),
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

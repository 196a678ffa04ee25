import { z } from "zod";
import { normalizeEmail } from "@/lib/email-address";
import {
  BULK_MAX_IDS,
  CUSTOM_FIELD_TYPES,
  LEAD_SORT_FIELDS,
  LEAD_STATUSES,
  LEADS_PAGE_SIZE,
} from "@/lib/enums";

export { type EmailCheck, normalizeEmail } from "@/lib/email-address";
export { BULK_MAX_IDS, LEAD_SORT_FIELDS, LEADS_PAGE_SIZE } from "@/lib/enums";

export const leadEmailSchema = z.string().transform((v, ctx) => {
  const r = normalizeEmail(v);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.reason });
    return z.NEVER;
  }
  return r.email;
});

export const leadStatusSchema = z.enum(LEAD_STATUSES);
const tagSchema = z.string().trim().min(1, "Tag is required").max(50, "Tags must be at most 50 characters");
const customValueSchema = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
export const customFieldValuesSchema = z.record(z.string().max(64), customValueSchema);

/** The filters shared by the list and the CSV export (the export reads them from the query string). */
export const leadFiltersSchema = z.object({
  search: z.string().trim().max(200).optional(),
  tags: z.array(tagSchema).max(20).optional(),
  status: leadStatusSchema.optional(),
  source: z.string().trim().max(255).optional(),
  custom: z
    .object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "Unknown field"), value: z.string().max(1000) })
    .optional(),
  segmentId: z.uuid().optional(),
  /** An explicit selection (export of checked rows). */
  ids: z.array(z.uuid()).max(BULK_MAX_IDS).optional(),
});
export type LeadFilters = z.infer<typeof leadFiltersSchema>;

export const listLeadsInput = leadFiltersSchema.extend({
  cursor: z.string().max(1000).optional(),
  limit: z.number().int().min(1).max(200).default(LEADS_PAGE_SIZE),
  sort: z.enum(LEAD_SORT_FIELDS).default("createdAt"),
  /** Named `order`, not `direction`: tRPC's infinite queries use `direction` for the paging side. */
  order: z.enum(["asc", "desc"]).default("desc"),
});
export type ListLeadsInput = z.infer<typeof listLeadsInput>;

export const leadIdInput = z.object({ id: z.uuid("Lead id must be a UUID") });

const nameSchema = z
  .string()
  .trim()
  .max(255, "Name must be at most 255 characters")
  .transform((v) => v || null)
  .nullable();
const sourceSchema = z
  .string()
  .trim()
  .max(255, "Source must be at most 255 characters")
  .transform((v) => v || null)
  .nullable();

export const createLeadInput = z.object({
  email: leadEmailSchema,
  name: nameSchema.optional(),
  source: sourceSchema.optional(),
  status: leadStatusSchema.default("active"),
  tags: z.array(tagSchema).max(50, "At most 50 tags").default([]),
  customFields: customFieldValuesSchema.default({}),
});
export type CreateLeadInput = z.infer<typeof createLeadInput>;

export const updateLeadInput = z.object({
  id: z.uuid(),
  email: leadEmailSchema.optional(),
  name: nameSchema.optional(),
  source: sourceSchema.optional(),
  status: leadStatusSchema.optional(),
  tags: z.array(tagSchema).max(50, "At most 50 tags").optional(),
  /** Merged into the stored values; a null or empty value clears that field. */
  customFields: customFieldValuesSchema.optional(),
});
export type UpdateLeadInput = z.infer<typeof updateLeadInput>;

/** The filters of a bulk action on every matching lead (an explicit selection goes in `ids`). */
export const bulkFilterSchema = leadFiltersSchema.omit({ ids: true });

/**
 * One action on the checked leads (`ids`, at most 500) or on every lead matching `filter` (the
 * list's filters, worked out on the server). Deleting by filter names the count the person
 * confirmed in `expected`: if the filter now matches another number, nothing is deleted.
 */
export const bulkLeadsInput = z
  .object({
    ids: z
      .array(z.uuid())
      .min(1, "Select at least one lead")
      .max(BULK_MAX_IDS, "At most 500 leads at once")
      .optional(),
    filter: bulkFilterSchema.optional(),
    expected: z.number().int().min(0).optional(),
    action: z.enum(["addTag", "removeTag", "delete"]),
    tag: tagSchema.optional(),
  })
  .refine((v) => v.action === "delete" || Boolean(v.tag), { message: "Tag is required", path: ["tag"] })
  .refine((v) => (v.ids === undefined) !== (v.filter === undefined), {
    message: "Give either the selected leads or a filter",
    path: ["ids"],
  })
  .refine((v) => !(v.filter && v.action === "delete" && v.expected === undefined), {
    message: "Confirm how many leads to delete",
    path: ["expected"],
  });
export type BulkLeadsInput = z.infer<typeof bulkLeadsInput>;

// ---------------------------------------------------------------- custom field definitions

export const customFieldTypeSchema = z.enum(CUSTOM_FIELD_TYPES);
const labelSchema = z
  .string()
  .trim()
  .min(1, "Label is required")
  .max(120, "Label must be at most 120 characters");
const optionsSchema = z
  .array(
    z.string().trim().min(1, "Options cannot be empty").max(100, "Options must be at most 100 characters"),
  )
  .max(100, "At most 100 options");

export const createCustomFieldInput = z
  .object({ label: labelSchema, type: customFieldTypeSchema, options: optionsSchema.default([]) })
  .refine((v) => v.type !== "select" || v.options.length > 0, {
    message: "A select field needs at least one option",
    path: ["options"],
  });
export type CreateCustomFieldInput = z.infer<typeof createCustomFieldInput>;

/** The type is fixed once created: stored values were validated against it. */
export const updateCustomFieldInput = z.object({
  id: z.uuid(),
  label: labelSchema.optional(),
  options: optionsSchema.optional(),
});
export type UpdateCustomFieldInput = z.infer<typeof updateCustomFieldInput>;

export const customFieldIdInput = z.object({ id: z.uuid() });

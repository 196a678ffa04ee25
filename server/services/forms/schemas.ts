import { z } from "zod";
import { FORM_SETTINGS_DEFAULTS } from "@/lib/enums";

/** `name` is the lead's name; any other key is a custom field the workspace has declared. */
export const formFieldSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "Pick a field"),
  label: z.string().trim().min(1, "Give the field a label").max(120),
  required: z.boolean().default(false),
});
export type FormField = z.infer<typeof formFieldSchema>;

export const formSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and single dashes");

const redirectUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "Use a full http:// or https:// address");

export const formSettingsSchema = z.object({
  title: z.string().trim().max(120).default(FORM_SETTINGS_DEFAULTS.title),
  description: z.string().trim().max(1000).default(FORM_SETTINGS_DEFAULTS.description),
  buttonLabel: z.string().trim().max(40).default(FORM_SETTINGS_DEFAULTS.buttonLabel),
  successMessage: z.string().trim().max(500).default(FORM_SETTINGS_DEFAULTS.successMessage),
  redirectUrl: z.union([redirectUrlSchema, z.literal("")]).default(FORM_SETTINGS_DEFAULTS.redirectUrl),
});
export type FormSettings = z.infer<typeof formSettingsSchema>;

const fieldsSchema = z
  .array(formFieldSchema)
  .max(20, "At most 20 fields")
  .refine((f) => new Set(f.map((x) => x.key)).size === f.length, "Each field can appear once");
const tagsSchema = z.array(z.string().trim().min(1).max(50)).max(20);
const nameSchema = z.string().trim().min(1, "Give the form a name").max(255);

export const createFormInput = z.object({
  name: nameSchema,
  slug: formSlugSchema.optional(),
  fields: fieldsSchema.default([]),
  tags: tagsSchema.default([]),
  doubleOptIn: z.boolean().default(false),
  settings: formSettingsSchema.default(formSettingsSchema.parse({})),
});
export type CreateFormInput = z.infer<typeof createFormInput>;

/** Only what is sent changes (no defaults here: a partial update must not reset other settings). */
export const updateFormInput = z.object({
  id: z.uuid(),
  name: nameSchema.optional(),
  slug: formSlugSchema.optional(),
  fields: fieldsSchema.optional(),
  tags: tagsSchema.optional(),
  doubleOptIn: z.boolean().optional(),
  settings: formSettingsSchema.optional(),
});
export type UpdateFormInput = z.infer<typeof updateFormInput>;
export const formIdInput = z.object({ id: z.uuid() });

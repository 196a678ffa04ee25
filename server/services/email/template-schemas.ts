import { z } from "zod";
import { EMAIL_BODY_FORMATS, emailBlocksSchema } from "@/lib/email-blocks";
import { BODY_MAX } from "./campaign-schemas";

export const templateNameSchema = z
  .string()
  .trim()
  .min(1, "Name the template")
  .max(255, "Template names are at most 255 characters");

/** A saved email: what a campaign step holds, minus its delay. */
export const createTemplateInput = z
  .object({
    name: templateNameSchema,
    subject: z.string().trim().max(200, "Subject must be at most 200 characters").default(""),
    preheader: z.string().trim().max(200, "Preheader must be at most 200 characters").default(""),
    format: z.enum(EMAIL_BODY_FORMATS).default("blocks"),
    blocks: emailBlocksSchema.nullable().default(null),
    body: z.string().max(BODY_MAX, "Body is too long").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.format === "blocks" && !v.blocks?.length)
      ctx.addIssue({ code: "custom", path: ["blocks"], message: "Add at least one block before saving" });
    if (v.format === "markdown" && !v.body.trim())
      ctx.addIssue({
        code: "custom",
        path: ["body"],
        message: "Write the email before saving it as a template",
      });
  });
export type CreateTemplateInput = z.infer<typeof createTemplateInput>;

export const templateIdInput = z.object({ id: z.uuid("Template id must be a UUID") });
export const renameTemplateInput = z.object({
  id: z.uuid("Template id must be a UUID"),
  name: templateNameSchema,
});

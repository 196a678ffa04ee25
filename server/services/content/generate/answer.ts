import "server-only";
import { z } from "zod";

/** What the model (or the offline writer) answers. */

/** Strict JSON schema for the response format: every property required, nothing else allowed. */
export const GENERATED_CONTENT_JSON_SCHEMA = {
  type: "object",
  properties: {
    title: { type: "string", description: "Title, or the subject line for an email" },
    body: { type: "string", description: "The main text, formatted as the instructions say" },
    hashtags: {
      type: "array",
      items: { type: "string" },
      description: "Hashtags or topic tags, without the # sign",
    },
    hook: { type: "string", description: "The opening hook, or the preheader for an email" },
    callToAction: { type: "string", description: "The call to action" },
  },
  required: ["title", "body", "hashtags", "hook", "callToAction"],
  additionalProperties: false,
} as const;

export const generatedContentSchema = z.object({
  title: z.string().trim().min(1, "title is empty"),
  body: z.string().trim().min(1, "body is empty"),
  hashtags: z.array(z.string()).max(50),
  hook: z.string(),
  callToAction: z.string(),
});
export type GeneratedContent = z.infer<typeof generatedContentSchema>;

import { z } from "zod";
import { API_KEY_SCOPES } from "@/server/db/schema/workspaces";

/*
 * The API key inputs, apart from the service (server/services/api-keys.ts), so the CLI checks its
 * flags without loading the database client.
 */

const futureDate = z
  .union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))])
  .refine((d) => d.getTime() > Date.now(), "Expiry must be in the future");

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(255, "Name must be at most 255 characters"),
  scopes: z
    .array(apiKeyScopeSchema)
    .min(1, "Choose at least one scope")
    .default(["read", "write"])
    // Stored in a fixed order without repeats, so equal permissions always look equal.
    .transform((s) => API_KEY_SCOPES.filter((scope) => s.includes(scope))),
  expiresAt: futureDate.nullable().default(null),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

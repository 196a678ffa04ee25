import { z } from "zod";

/**
 * Inputs of the Integrations procedures, shared with the forms (nothing server-only here). The
 * provider lists match the connect/disconnect tables in ./connectors.ts, which the compiler checks.
 */

export const CARD_PROVIDERS = [
  "tiktok",
  "youtube",
  "instagram",
  "gmail",
  "amazon",
  "openai",
  "smtp",
] as const;
export const OAUTH_PROVIDERS = ["tiktok", "youtube", "instagram", "gmail"] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];
export const DISCONNECTABLE_PROVIDERS = ["tiktok", "youtube", "instagram", "gmail", "openai"] as const;
export type DisconnectableProvider = (typeof DISCONNECTABLE_PROVIDERS)[number];

export const oauthProviderInput = z.object({ provider: z.enum(OAUTH_PROVIDERS) });
export const disconnectInput = z.object({ provider: z.enum(DISCONNECTABLE_PROVIDERS) });
export const testInput = z.object({
  provider: z.enum(["tiktok", "youtube", "instagram", "gmail", "openai", "smtp"]),
});
/** The short-video platforms whose metrics can be synced now. */
export const syncInput = z.object({ provider: z.enum(["tiktok", "youtube", "instagram"]) });

export const aiSettingsInput = z.object({
  baseUrl: z
    .string()
    .trim()
    .max(2000)
    .refine(
      (v) => v === "" || /^https?:\/\/[^\s]+$/i.test(v),
      "Use an http(s) URL, e.g. https://api.openai.com/v1",
    )
    .optional(),
  /** Omitted: keep the stored key. Empty string: remove it. */
  apiKey: z.string().trim().max(500, "That key is too long").optional(),
  model: z.string().trim().max(200, "Model names are at most 200 characters").optional(),
});
export type AiSettingsInput = z.infer<typeof aiSettingsInput>;

import { z } from "zod";

/**
 * App credentials an instance admin can set in Settings → Instance (shared with the form: Zod
 * only). Each provider's fields, which of them are secret (write-only), and the environment
 * variables that are the default when no value is saved.
 */
export const INSTANCE_PROVIDERS = ["tiktok", "google", "amazon", "instagram"] as const;
export type InstanceProvider = (typeof INSTANCE_PROVIDERS)[number];

export interface CredentialField {
  key: string;
  label: string;
  secret: boolean;
  env: string;
}

export const CREDENTIAL_FIELDS: Record<
  InstanceProvider,
  { label: string; hint: string; fields: CredentialField[] }
> = {
  tiktok: {
    label: "TikTok",
    hint: "From your app on developers.tiktok.com (Login Kit and Content Posting API).",
    fields: [
      { key: "clientKey", label: "Client key", secret: false, env: "TIKTOK_CLIENT_KEY" },
      { key: "clientSecret", label: "Client secret", secret: true, env: "TIKTOK_CLIENT_SECRET" },
    ],
  },
  google: {
    label: "Google (Gmail sending)",
    hint: "An OAuth client of type “Web application” in the Google Cloud console, with the Gmail API on.",
    fields: [
      { key: "clientId", label: "Client ID", secret: false, env: "GOOGLE_CLIENT_ID" },
      { key: "clientSecret", label: "Client secret", secret: true, env: "GOOGLE_CLIENT_SECRET" },
    ],
  },
  amazon: {
    label: "Amazon (Selling Partner API)",
    hint: "Your SP-API app's Login with Amazon credentials; workspaces that leave theirs empty on Connect use these.",
    fields: [
      { key: "clientId", label: "LWA client ID", secret: false, env: "AMAZON_LWA_CLIENT_ID" },
      { key: "clientSecret", label: "LWA client secret", secret: true, env: "AMAZON_LWA_CLIENT_SECRET" },
      { key: "appId", label: "App ID", secret: false, env: "AMAZON_APP_ID" },
    ],
  },
  instagram: {
    label: "Instagram (Reels)",
    hint: "Your Meta app's Instagram app ID and secret (Instagram API with Instagram Login).",
    fields: [
      { key: "clientId", label: "Instagram app ID", secret: false, env: "INSTAGRAM_CLIENT_ID" },
      { key: "clientSecret", label: "Instagram app secret", secret: true, env: "INSTAGRAM_CLIENT_SECRET" },
    ],
  },
};

const value = z.string().trim().max(512, "At most 512 characters");

/** Non-secret fields are required; an empty secret keeps the saved one. */
export const updateCredentialsInput = z.object({
  provider: z.enum(INSTANCE_PROVIDERS, "Choose TikTok, Google, Amazon or Instagram"),
  values: z.record(z.string(), value),
});
export type UpdateCredentialsInput = z.infer<typeof updateCredentialsInput>;

export const clearCredentialsInput = z.object({ provider: z.enum(INSTANCE_PROVIDERS) });

/** What the page shows per provider: never a secret, only whether one is set and where from. */
export interface CredentialsView {
  provider: InstanceProvider;
  /** Which source the app uses now: saved here, the environment, or none (not set up). */
  source: "instance" | "environment" | null;
  /** Non-secret values as saved here (empty when none). */
  values: Record<string, string>;
  /** Per secret field: saved here. */
  secretsSet: Record<string, boolean>;
  /** Whether the environment has every field (the fallback). */
  environmentSet: boolean;
}

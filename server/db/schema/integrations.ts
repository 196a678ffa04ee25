import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const INTEGRATION_PROVIDERS = [
  "tiktok",
  "youtube",
  "instagram",
  "gmail",
  "amazon",
  "openai",
  "smtp",
] as const;
export type IntegrationProvider = (typeof INTEGRATION_PROVIDERS)[number];
export const INTEGRATION_STATUSES = ["connected", "needs_attention", "disconnected"] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

/**
 * One connected account per (workspace, provider). Secrets (OAuth tokens, refresh tokens, API keys)
 * live only in `secrets`, encrypted with AES-256-GCM under ENCRYPTION_KEY (lib/secret-box.ts);
 * `settings` holds what may be shown (region, marketplace, model, base URL…).
 */
export const integrations = pgTable(
  "integrations",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: varchar("provider", { length: 20 }).$type<IntegrationProvider>().notNull(),
    status: varchar("status", { length: 30 }).$type<IntegrationStatus>().notNull().default("connected"),
    /** The connected account as the provider names it (TikTok display name, Gmail address, seller id). */
    accountName: varchar("account_name", { length: 255 }),
    accountId: varchar("account_id", { length: 255 }),
    /** Encrypted JSON (see lib/secret-box.ts); never sent to the browser. */
    secrets: text("secrets"),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    /** Access-token expiry, so a refresh can happen before it. */
    tokenExpiresAt: tstz("token_expires_at"),
    lastSyncAt: tstz("last_sync_at"),
    lastSyncStatus: varchar("last_sync_status", { length: 20 }),
    lastError: text("last_error"),
    connectedBy: uuid("connected_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("uq_integrations_workspace_provider").on(t.workspaceId, t.provider),
    index("idx_integrations_provider").on(t.provider),
    check(
      "integrations_provider",
      sql`${t.provider} in ('tiktok', 'youtube', 'instagram', 'gmail', 'amazon', 'openai', 'smtp')`,
    ),
    check("integrations_status", sql`${t.status} in ('connected', 'needs_attention', 'disconnected')`),
  ],
);

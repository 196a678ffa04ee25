import { date, index, integer, pgTable, primaryKey, text, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "./_columns";
import { users } from "./auth";
import { type IntegrationProvider, integrations } from "./integrations";
import { workspaces } from "./workspaces";

/**
 * An OAuth connect in flight: the `state` handed to the provider (stored only as a SHA-256 hash),
 * bound to the user and workspace that started it, with the PKCE verifier encrypted. Consumed once
 * by a conditional UPDATE, so a replayed or foreign callback is refused.
 */
export const integrationOauthStates = pgTable(
  "integration_oauth_states",
  {
    stateHash: varchar("state_hash", { length: 64 }).primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: varchar("provider", { length: 20 }).$type<IntegrationProvider>().notNull(),
    /** Encrypted (lib/secret-box.ts). */
    codeVerifier: text("code_verifier").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("idx_integration_oauth_states_workspace").on(t.workspaceId, t.expiresAt)],
);

/** Per-account daily usage (Gmail messages sent per UTC day), incremented atomically per send. */
export const integrationUsage = pgTable(
  "integration_usage",
  {
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.integrationId, t.day] }),
    index("idx_integration_usage_workspace").on(t.workspaceId, t.day),
  ],
);

/**
 * Units of a platform's daily API quota spent by this install, per project (the app credentials
 * the calls are made with, as a hash) and per quota day (YouTube's resets at midnight Pacific time).
 * Not a tenant table: the quota belongs to the operator's project, shared by every workspace.
 */
export const platformQuotaUsage = pgTable(
  "platform_quota_usage",
  {
    provider: varchar("provider", { length: 20 }).$type<IntegrationProvider>().notNull(),
    project: varchar("project", { length: 64 }).notNull(),
    day: date("day", { mode: "string" }).notNull(),
    units: integer("units").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.provider, t.project, t.day] })],
);

import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export type WorkspaceSettings = Record<string, unknown>;

export const workspaces = pgTable(
  "workspaces",
  {
    id: id(),
    name: varchar("name", { length: 255 }).notNull(),
    slug: varchar("slug", { length: 255 }).notNull().unique(),
    logoUrl: text("logo_url"),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    settings: jsonb("settings").$type<WorkspaceSettings>().notNull().default({}),
    subscriptionTier: varchar("subscription_tier", { length: 50 }).notNull().default("free"),
    timeZone: varchar("time_zone", { length: 64 }).notNull().default("UTC"),
    /** Members must sign in through the OIDC provider (SSO) to open this workspace. */
    ssoRequired: boolean("sso_required").notNull().default(false),
    /** Users with a verified address at this domain join the workspace on sign-in, as autoJoinRole. */
    autoJoinDomain: varchar("auto_join_domain", { length: 255 }),
    autoJoinRole: varchar("auto_join_role", { length: 50 }).$type<Role>().notNull().default("member"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("workspaces_slug_format", sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'`),
    check("workspaces_name_not_blank", sql`length(btrim(${t.name})) > 0`),
    check("workspaces_auto_join_role", sql`${t.autoJoinRole} in ('admin', 'member', 'viewer')`),
    check("workspaces_auto_join_domain_lower", sql`${t.autoJoinDomain} = lower(${t.autoJoinDomain})`),
    uniqueIndex("uq_workspaces_auto_join_domain")
      .on(t.autoJoinDomain)
      .where(sql`${t.autoJoinDomain} is not null`),
  ],
);

export const workspaceMembers = pgTable(
  "workspace_members",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: varchar("role", { length: 50 }).$type<Role>().notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    joinedAt: tstz("joined_at").notNull().defaultNow(),
  },
  (t) => [
    unique("workspace_members_workspace_user").on(t.workspaceId, t.userId),
    check("workspace_members_role", sql`${t.role} in ('owner', 'admin', 'member', 'viewer')`),
    index("idx_workspace_members_workspace_id").on(t.workspaceId),
    index("idx_workspace_members_user_id").on(t.userId),
  ],
);

export const INVITATION_STATUSES = ["pending", "accepted", "declined", "revoked"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const workspaceInvitations = pgTable(
  "workspace_invitations",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    email: varchar("email", { length: 255 }).notNull(),
    role: varchar("role", { length: 50 }).$type<Role>().notNull(),
    /** SHA-256 of the token in the invitation link; the token itself is never stored. */
    tokenHash: varchar("token_hash", { length: 64 }).notNull().unique(),
    status: varchar("status", { length: 20 }).$type<InvitationStatus>().notNull().default("pending"),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: tstz("expires_at").notNull(),
    respondedAt: tstz("responded_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("workspace_invitations_role", sql`${t.role} in ('admin', 'member', 'viewer')`),
    check("workspace_invitations_status", sql`${t.status} in ('pending', 'accepted', 'declined', 'revoked')`),
    check("workspace_invitations_email_lower", sql`${t.email} = lower(${t.email})`),
    uniqueIndex("uq_workspace_invitations_pending")
      .on(t.workspaceId, t.email)
      .where(sql`${t.status} = 'pending'`),
    index("idx_workspace_invitations_workspace_id").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
  ],
);

export const API_KEY_SCOPES = ["read", "write"] as const;

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: varchar("name", { length: 255 }).notNull(),
    /** First characters of the key, shown in lists so a person can tell keys apart. */
    prefix: varchar("prefix", { length: 32 }).notNull(),
    keyHash: varchar("key_hash", { length: 255 }).notNull().unique(),
    scopes: text("scopes").array().notNull().default(sql`'{read,write}'::text[]`),
    lastUsedAt: tstz("last_used_at"),
    expiresAt: tstz("expires_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [
    index("idx_api_keys_workspace_id").on(t.workspaceId),
    check(
      "api_keys_scopes",
      sql`${t.scopes} <@ array['read', 'write']::text[] and cardinality(${t.scopes}) > 0`,
    ),
  ],
);

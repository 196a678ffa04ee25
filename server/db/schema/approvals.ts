import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const APPROVAL_ENTITY_TYPES = ["content", "campaign"] as const;
export type ApprovalEntityType = (typeof APPROVAL_ENTITY_TYPES)[number];
/** What the author asked for: publish (content) or send (campaign) now, or either at `scheduled_at`. */
export const APPROVAL_ACTIONS = ["publish", "schedule", "send"] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];
export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "withdrawn"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * A member's request to publish, schedule or send something in a workspace that requires approval.
 * The item itself stays as it was (a draft) until an admin approves, which performs the action.
 */
export const approvalRequests = pgTable(
  "approval_requests",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    entityType: varchar("entity_type", { length: 20 }).$type<ApprovalEntityType>().notNull(),
    entityId: uuid("entity_id").notNull(),
    action: varchar("action", { length: 20 }).$type<ApprovalAction>().notNull(),
    /** For `schedule`: when the author asked for it to go out. */
    scheduledAt: tstz("scheduled_at"),
    status: varchar("status", { length: 20 }).$type<ApprovalStatus>().notNull().default("pending"),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    /** The reviewer's reason, shown to the author when rejected. */
    reason: text("reason"),
    decidedAt: tstz("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("approval_requests_entity_type", sql`${t.entityType} in ('content', 'campaign')`),
    check("approval_requests_action", sql`${t.action} in ('publish', 'schedule', 'send')`),
    check("approval_requests_status", sql`${t.status} in ('pending', 'approved', 'rejected', 'withdrawn')`),
    check(
      "approval_requests_schedule_time",
      sql`(${t.action} = 'schedule') = (${t.scheduledAt} is not null)`,
    ),
    uniqueIndex("uq_approval_requests_pending")
      .on(t.workspaceId, t.entityType, t.entityId)
      .where(sql`${t.status} = 'pending'`),
    index("idx_approval_requests_workspace").on(t.workspaceId, t.status, t.createdAt.desc().nullsFirst()),
    index("idx_approval_requests_entity").on(
      t.workspaceId,
      t.entityType,
      t.entityId,
      t.createdAt.desc().nullsFirst(),
    ),
  ],
);

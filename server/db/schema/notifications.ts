import { bigint, index, pgTable, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

/** In-app notifications (the bell): one row per recipient. */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 50 }).notNull(),
    title: varchar("title", { length: 255 }).notNull(),
    body: text("body"),
    link: varchar("link", { length: 1000 }),
    readAt: tstz("read_at"),
    /** The domain event that caused it (null for other notices): one notification per event and user. */
    domainEventId: bigint("domain_event_id", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_notifications_user").on(t.workspaceId, t.userId, t.createdAt.desc().nullsFirst()),
    uniqueIndex("uq_notifications_event_user").on(t.domainEventId, t.userId),
  ],
);

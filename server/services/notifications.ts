import "server-only";
import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import { notifications, workspaceMembers } from "@/server/db/schema";
import { publishEvent } from "@/server/events";
import type { DomainEventConsumer } from "./domain-events/dispatch";
import type { DomainEvent } from "./domain-events/types";

export interface NewNotification {
  workspaceId: string;
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
}

/** Notifies the workspace's members (viewers too: they read), or only `onlyUserIds` among them. */
export async function notifyWorkspace(db: Db, n: NewNotification, opts: { onlyUserIds?: string[] } = {}) {
  const rows = await insertNotifications(db, n, opts);
  await announceNotifications(rows);
  return rows;
}

/**
 * Writes the rows only (pass the caller's transaction). With `domainEventId`, a member gets one
 * notification per event however often it is written.
 */
async function insertNotifications(
  db: Db,
  n: NewNotification,
  opts: { onlyUserIds?: string[]; domainEventId?: number } = {},
) {
  if (opts.onlyUserIds && opts.onlyUserIds.length === 0) return [];
  return insertNotificationsMany(db, [{ n, domainEventId: opts.domainEventId ?? null }], opts.onlyUserIds);
}

/** The rows of several notifications (of any workspaces) in two statements. */
async function insertNotificationsMany(
  db: Db,
  items: { n: NewNotification; domainEventId: number | null }[],
  onlyUserIds?: string[],
) {
  if (items.length === 0) return [];
  const members = await db
    .select({ userId: workspaceMembers.userId, workspaceId: workspaceMembers.workspaceId })
    .from(workspaceMembers)
    .where(
      and(
        inArray(workspaceMembers.workspaceId, [...new Set(items.map((i) => i.n.workspaceId))]),
        onlyUserIds?.length ? inArray(workspaceMembers.userId, onlyUserIds) : undefined,
      ),
    );
  const values = items.flatMap(({ n, domainEventId }) =>
    members
      .filter((m) => m.workspaceId === n.workspaceId)
      .map((m) => ({ ...n, userId: m.userId, body: n.body ?? null, link: n.link ?? null, domainEventId })),
  );
  if (values.length === 0) return [];
  return db
    .insert(notifications)
    .values(values)
    .onConflictDoNothing({ target: [notifications.domainEventId, notifications.userId] })
    .returning({
      id: notifications.id,
      userId: notifications.userId,
      workspaceId: notifications.workspaceId,
      kind: notifications.kind,
      title: notifications.title,
      link: notifications.link,
    });
}

/** Tells each recipient's open pages (the bell). */
async function announceNotifications(
  rows: {
    id: string;
    userId: string;
    workspaceId: string;
    kind: string;
    title: string;
    link: string | null;
  }[],
) {
  await Promise.all(
    rows.map((r) =>
      publishEvent({
        workspaceId: r.workspaceId,
        userId: r.userId,
        type: "notification.created",
        data: { id: r.id, kind: r.kind, title: r.title, link: r.link },
      }),
    ),
  );
}

/** The notification a domain event gives every member, or null for events nobody is told about. */
function notificationOf(event: DomainEvent): NewNotification | null {
  const workspaceId = event.workspaceId;
  switch (event.type) {
    case "content.published": {
      const { title, url, link } = event.payload;
      return {
        workspaceId,
        kind: "content.published",
        title: `Published: ${title}`.slice(0, 255),
        body: url ? `Live at ${url}` : null,
        link,
      };
    }
    case "content.failed": {
      const { title, error, link } = event.payload;
      return {
        workspaceId,
        kind: "content.failed",
        title: `Publishing failed: ${title}`.slice(0, 255),
        body: error,
        link,
      };
    }
    default:
      return null;
  }
}

/** Writes the members' notifications of these events; announces them once committed. */
async function notifyOfEvents(tx: Db, events: DomainEvent[]) {
  const items = events.flatMap((event) => {
    const n = notificationOf(event);
    return n ? [{ n, domainEventId: event.id }] : [];
  });
  const rows = await insertNotificationsMany(tx, items);
  return rows.length ? () => announceNotifications(rows) : undefined;
}

/** The domain-event consumer that notifies members (bound in server/queue/handlers.ts). */
export const notificationsConsumer: DomainEventConsumer = {
  name: "notifications",
  handle: (tx, event) => notifyOfEvents(tx, [event]),
  handleMany: notifyOfEvents,
};

export const listNotificationsInput = z.object({ limit: z.number().int().min(1).max(50).default(20) });

export async function listNotifications(db: Db, workspaceId: string, userId: string, limit: number) {
  const mine = and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId));
  const [items, [unread]] = await Promise.all([
    db.select().from(notifications).where(mine).orderBy(desc(notifications.createdAt)).limit(limit),
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(mine, isNull(notifications.readAt))),
  ]);
  return { items, unread: unread?.n ?? 0 };
}

export const markReadInput = z.object({ ids: z.array(z.uuid()).max(100).optional() });

/** Marks the given notifications (or all) of this user in this workspace as read. */
export async function markNotificationsRead(db: Db, workspaceId: string, userId: string, ids?: string[]) {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.workspaceId, workspaceId),
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return { updated: rows.length };
}

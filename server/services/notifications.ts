import "server-only";
import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import { notifications, workspaceMembers } from "@/server/db/schema";
import { publishEvent } from "@/server/events";

export interface NewNotification {
  workspaceId: string;
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
}

/** Notifies the workspace's members (viewers too: they read), or only `onlyUserIds` among them. */
export async function notifyWorkspace(db: Db, n: NewNotification, opts: { onlyUserIds?: string[] } = {}) {
  if (opts.onlyUserIds && opts.onlyUserIds.length === 0) return [];
  const members = await db
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(
      and(
        eq(workspaceMembers.workspaceId, n.workspaceId),
        opts.onlyUserIds?.length ? inArray(workspaceMembers.userId, opts.onlyUserIds) : undefined,
      ),
    );
  if (members.length === 0) return [];
  const rows = await db
    .insert(notifications)
    .values(members.map((m) => ({ ...n, userId: m.userId, body: n.body ?? null, link: n.link ?? null })))
    .returning({ id: notifications.id, userId: notifications.userId });
  for (const r of rows) {
    await publishEvent({
      workspaceId: n.workspaceId,
      userId: r.userId,
      type: "notification.created",
      data: { id: r.id, kind: n.kind, title: n.title, link: n.link ?? null },
    });
  }
  return rows;
}

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

import { count, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import { activityLogs, users } from "@/server/db/schema";
import type { Actor } from "./context";

export interface ActivityEntry {
  workspaceId: string | null;
  userId: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  metadata?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

export async function logActivity(db: Db, entry: ActivityEntry): Promise<void> {
  await db.insert(activityLogs).values({
    workspaceId: entry.workspaceId,
    userId: entry.userId,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    metadata: entry.metadata ?? {},
    ipAddress: entry.ip ?? null,
    userAgent: entry.userAgent?.slice(0, 1000) ?? null,
  });
}

/** Shorthand for services: record `action` on `entity` by `actor` in `workspaceId`. */
export function record(
  db: Db,
  actor: Actor,
  workspaceId: string | null,
  action: string,
  entity: { type: string; id: string | null },
  metadata: Record<string, unknown> = {},
) {
  return logActivity(db, {
    workspaceId,
    userId: actor.userId,
    action,
    entityType: entity.type,
    entityId: entity.id,
    metadata,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
}

/**
 * A refused sign-in (wrong password, unknown address, unverified…): recorded on the account it
 * named when that account exists, else with no user, keeping the address tried and why.
 */
export async function recordFailedSignIn(
  db: Db,
  p: { email: string | null; ip: string | null; userAgent: string | null; reason: string },
) {
  const email = p.email?.trim().toLowerCase().slice(0, 255) || null;
  const [user] = email
    ? await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)
    : [];
  await logActivity(db, {
    workspaceId: null,
    userId: user?.id ?? null,
    action: "user.sign_in_failed",
    entityType: "user",
    entityId: user?.id ?? null,
    metadata: { email, reason: p.reason.slice(0, 200) },
    ip: p.ip,
    userAgent: p.userAgent,
  });
}

export const listActivityInput = z.object({
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});
export type ListActivityInput = z.infer<typeof listActivityInput>;

export async function listActivity(db: Db, workspaceId: string, input: ListActivityInput) {
  const [items, [totalRow]] = await Promise.all([
    recentActivity(db, workspaceId, input),
    db.select({ total: count() }).from(activityLogs).where(eq(activityLogs.workspaceId, workspaceId)),
  ]);
  return { items, total: totalRow?.total ?? 0, page: input.page, pageSize: input.pageSize };
}

/** A page of the workspace's activity, newest first, without the total (the Overview's feed). */
export async function recentActivity(db: Db, workspaceId: string, input: ListActivityInput) {
  const rows = await db
    .select({
      id: activityLogs.id,
      action: activityLogs.action,
      entityType: activityLogs.entityType,
      entityId: activityLogs.entityId,
      metadata: activityLogs.metadata,
      ipAddress: activityLogs.ipAddress,
      userAgent: activityLogs.userAgent,
      createdAt: activityLogs.createdAt,
      user: { id: users.id, name: users.name, email: users.email },
    })
    .from(activityLogs)
    .leftJoin(users, eq(users.id, activityLogs.userId))
    .where(eq(activityLogs.workspaceId, workspaceId))
    .orderBy(desc(activityLogs.createdAt), desc(activityLogs.id))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  return rows.map((r) => ({ ...r, user: r.user?.id ? r.user : null }));
}

import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { users } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";

/**
 * Instance admins run the install (app credentials in Settings → Instance). While nobody holds the
 * role, the oldest account claims it on its first check: the first user of a new install becomes
 * instance admin without a step, and an older install gets one. `grantInstanceAdmin` (CLI) adds more.
 */
export async function isInstanceAdmin(db: Db, userId: string): Promise<boolean> {
  const [me] = await db.select({ admin: users.instanceAdmin }).from(users).where(eq(users.id, userId));
  if (!me) return false;
  if (me.admin) return true;
  const [holder] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.instanceAdmin, true))
    .limit(1);
  if (holder) return false;
  const [oldest] = await db
    .select({ id: users.id })
    .from(users)
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  if (oldest?.id !== userId) return false;
  await db.update(users).set({ instanceAdmin: true }).where(eq(users.id, userId));
  return true;
}

/** Grants (or with `admin: false` takes away) the role; NOT_FOUND for an unknown address. */
export async function setInstanceAdmin(db: Db, p: { email: string; admin: boolean }) {
  const [row] = await db
    .update(users)
    .set({ instanceAdmin: p.admin })
    .where(eq(users.email, p.email.toLowerCase()))
    .returning({ id: users.id, email: users.email, instanceAdmin: users.instanceAdmin });
  if (!row) throw new NotFoundError(`No user with email ${p.email}`);
  return row;
}

import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "./activity";
import type { ServiceContext } from "./context";

export const updateProfileInput = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(255).optional(),
    avatarUrl: z
      .string()
      .trim()
      .max(2000)
      .regex(/^https?:\/\//i, "Avatar must be an http(s) URL")
      .nullable()
      .optional(),
  })
  .refine((v) => v.name !== undefined || v.avatarUrl !== undefined, "Nothing to update");

export async function getProfile(ctx: ServiceContext, userId: string) {
  const [u] = await ctx.db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      avatarUrl: users.avatarUrl,
      emailVerified: users.emailVerified,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!u) throw new NotFoundError("User not found");
  return u;
}

/**
 * An operator vouches for an address (`npm run cli -- verify-email`): for installs where no mail
 * server can carry the verification link. Recorded in the activity log.
 */
export async function markEmailVerified(ctx: ServiceContext, email: string) {
  const [u] = await ctx.db
    .select({ id: users.id, email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  if (!u) throw new NotFoundError(`No user with email ${email}`);
  if (u.emailVerified) return { ...u, changed: false };
  await ctx.db.update(users).set({ emailVerified: true }).where(eq(users.id, u.id));
  await record(ctx.db, ctx.actor, null, "user.email_verified_by_operator", { type: "user", id: u.id });
  return { id: u.id, email: u.email, emailVerified: true, changed: true };
}

export async function updateProfile(
  ctx: ServiceContext,
  userId: string,
  input: z.infer<typeof updateProfileInput>,
) {
  const [u] = await ctx.db
    .update(users)
    .set({ name: input.name, avatarUrl: input.avatarUrl })
    .where(eq(users.id, userId))
    .returning({ id: users.id, email: users.email, name: users.name, avatarUrl: users.avatarUrl });
  if (!u) throw new NotFoundError("User not found");
  await record(
    ctx.db,
    ctx.actor,
    null,
    "user.profile_updated",
    { type: "user", id: userId },
    {
      fields: Object.keys(input),
    },
  );
  return u;
}

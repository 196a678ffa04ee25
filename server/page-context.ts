import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "./db";
import { NotFoundError } from "./errors";
import { getWorkspaceForUser } from "./services/workspaces";
import { getSessionUser } from "./session";

/**
 * For server components under /[workspace]: the signed-in user and their workspace, loaded once per
 * request (React cache). Signed out → sign-in; not a member → 404.
 */
export const loadWorkspacePage = cache(async (slug: string) => {
  const user = await getSessionUser(await headers());
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(`/${slug}`)}`);
  const db = await getDb();
  try {
    const workspace = await getWorkspaceForUser(db, user.id, { slug });
    return { user, workspace, db };
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
});

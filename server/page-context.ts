import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { REQUEST_PATH_HEADER } from "@/lib/request-guard";
import { getDb } from "./db";
import { NotFoundError } from "./errors";
import { getWorkspaceForUser, ssoRefusal } from "./services/workspaces";
import { currentUser } from "./session";

/** The page asked for (set by proxy.ts), when it is one of this workspace's; else its home. */
function returnPath(h: Headers, slug: string): string {
  const asked = h.get(REQUEST_PATH_HEADER);
  return asked && (asked === `/${slug}` || asked.startsWith(`/${slug}/`) || asked.startsWith(`/${slug}?`))
    ? asked
    : `/${slug}`;
}

/**
 * For server components under /[workspace]: the signed-in user and their workspace, loaded once per
 * request (React cache). Signed out → sign-in; not a member → 404; a workspace that requires SSO,
 * opened with another kind of session → the page that says so.
 */
export const loadWorkspacePage = cache(async (slug: string) => {
  const h = await headers();
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(returnPath(h, slug))}`);
  const db = await getDb();
  try {
    const workspace = await getWorkspaceForUser(db, user.id, { slug });
    if (ssoRefusal(workspace, user.signInMethod))
      redirect(`/sso-required?workspace=${encodeURIComponent(slug)}`);
    return { user, workspace, db };
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
});

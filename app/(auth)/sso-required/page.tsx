import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SsoRequiredCard } from "@/components/auth/sso-required-card";
import { getDb } from "@/server/db";
import {
  getWorkspaceForUser,
  ssoProviderName,
  ssoRefusal,
  ssoRequiredMessage,
} from "@/server/services/workspaces";
import { currentUser } from "@/server/session";

export const metadata: Metadata = { title: "Single sign-on required" };
export const dynamic = "force-dynamic";

/**
 * Where a workspace that requires SSO sends a session that began another way (server/page-context.ts):
 * says so, and offers the provider's sign-in, which comes back to the workspace.
 */
export default async function SsoRequiredPage({
  searchParams,
}: {
  searchParams: Promise<{ workspace?: string | string[] }>;
}) {
  const slug = (await searchParams).workspace;
  const user = await currentUser();
  if (typeof slug !== "string" || !user) redirect("/sign-in");
  const workspace = await getWorkspaceForUser(await getDb(), user.id, { slug }).catch(() => null);
  const provider = ssoProviderName();
  if (!workspace || !provider || !ssoRefusal(workspace, user.signInMethod))
    redirect(workspace ? `/${slug}` : "/");
  const message = `${ssoRequiredMessage(workspace.name, provider)} You signed in another way: sign in with ${provider} to open it.`;
  return <SsoRequiredCard message={message} provider={provider} next={`/${slug}`} />;
}

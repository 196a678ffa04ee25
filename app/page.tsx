import { redirect } from "next/navigation";
import { getDb } from "@/server/db";
import { listWorkspacesForUser } from "@/server/services/workspaces";
import { currentUser } from "@/server/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const workspaces = await listWorkspacesForUser(await getDb(), user.id);
  redirect(workspaces[0] ? `/${workspaces[0].slug}` : "/onboarding");
}

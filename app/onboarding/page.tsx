import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Logo } from "@/components/brand/logo";
import { CreateWorkspaceForm } from "@/components/dashboard/create-workspace-form";
import { getDb } from "@/server/db";
import { listWorkspacesForUser } from "@/server/services/workspaces";
import { currentUser } from "@/server/session";

export const metadata: Metadata = { title: "Create a workspace" };
export const dynamic = "force-dynamic";

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<{ new?: string }> }) {
  const user = await currentUser();
  if (!user) redirect("/sign-in?next=/onboarding");
  const existing = await listWorkspacesForUser(await getDb(), user.id);
  const { new: adding } = await searchParams;
  if (existing.length > 0 && !adding) redirect(`/${existing[0]!.slug}`);
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center bg-muted/40 px-4 py-10">
      <Logo className="mb-8 text-lg" />
      <main className="w-full max-w-md">
        <h1 className="text-2xl font-semibold tracking-tight">
          {existing.length ? "Create another workspace" : `Welcome${user.name ? `, ${user.name}` : ""}!`}
        </h1>
        <p className="mt-1 mb-6 text-sm text-muted-foreground">
          A workspace holds one brand's content, leads, campaigns and analytics. Invite your team once it
          exists.
        </p>
        <CreateWorkspaceForm />
        {existing.length > 0 && (
          <p className="mt-4 text-center text-sm">
            <Link
              href={`/${existing[0]!.slug}`}
              className="text-muted-foreground underline-offset-4 hover:underline"
            >
              Back to {existing[0]!.name}
            </Link>
          </p>
        )}
      </main>
    </div>
  );
}

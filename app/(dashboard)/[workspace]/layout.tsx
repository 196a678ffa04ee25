import type { ReactNode } from "react";
import { VerifyEmailBanner } from "@/components/auth/verify-email-banner";
import { DashboardShell } from "@/components/dashboard/shell";
import { WorkspaceProvider } from "@/components/dashboard/workspace-context";
import { enabledFeatures } from "@/server/features";
import { loadWorkspacePage } from "@/server/page-context";

export const dynamic = "force-dynamic";

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspace: string }>;
}) {
  const { user, workspace: ws } = await loadWorkspacePage((await params).workspace);
  return (
    <WorkspaceProvider
      workspace={{
        id: ws.id,
        slug: ws.slug,
        name: ws.name,
        logoUrl: ws.logoUrl,
        timeZone: ws.timeZone,
        role: ws.role,
        features: enabledFeatures(),
      }}
    >
      <DashboardShell user={{ name: user.name, email: user.email }}>
        <VerifyEmailBanner
          initial={
            user.emailVerified === undefined
              ? undefined
              : { email: user.email, emailVerified: user.emailVerified }
          }
        />
        {children}
      </DashboardShell>
    </WorkspaceProvider>
  );
}

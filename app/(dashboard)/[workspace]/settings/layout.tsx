import type { ReactNode } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { SettingsNav } from "@/components/settings/settings-nav";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <PageHeader title="Settings" description="Manage this workspace, its members and your profile." />
      <SettingsNav />
      <div className="grid grid-cols-1 gap-6">{children}</div>
    </>
  );
}

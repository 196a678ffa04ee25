"use client";

import { DangerZone } from "./danger-zone";
import { WorkspaceForm } from "./workspace-form";

export function GeneralSettings() {
  return (
    <>
      <WorkspaceForm />
      <DangerZone />
    </>
  );
}

"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { Feature } from "@/lib/features";
import type { Role } from "@/server/db/schema";

export interface WorkspaceInfo {
  id: string;
  slug: string;
  name: string;
  logoUrl: string | null;
  timeZone: string;
  role: Role;
  /** The parts of the app switched on on this server (ENABLE_* flags). */
  features: Feature[];
}

export interface WorkspaceContextValue extends WorkspaceInfo {
  /** Members and above can change things; viewers read only. */
  canWrite: boolean;
  /** Admins and owners manage the workspace and its members. */
  canAdmin: boolean;
  isOwner: boolean;
}

const Ctx = createContext<WorkspaceContextValue | null>(null);

export function WorkspaceProvider({
  workspace,
  children,
}: {
  workspace: WorkspaceInfo;
  children: ReactNode;
}) {
  const value: WorkspaceContextValue = {
    ...workspace,
    canWrite: workspace.role !== "viewer",
    canAdmin: workspace.role === "admin" || workspace.role === "owner",
    isOwner: workspace.role === "owner",
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useWorkspace(): WorkspaceContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error("useWorkspace must be used inside a workspace page");
  return v;
}

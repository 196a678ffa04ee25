import "server-only";
import type { Db } from "@/server/db";
import type { Role } from "@/server/db/schema";

/** Who is acting, and from where — recorded in activity_logs. */
export interface Actor {
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface ServiceContext {
  db: Db;
  actor: Actor;
}

export interface WorkspaceServiceContext extends ServiceContext {
  workspaceId: string;
  /**
   * The acting person's role in the workspace (tRPC: the member's; REST: the key creator's).
   * Absent for the system (workers, CLI), which no role rule restricts.
   */
  actorRole?: Role;
}

export const systemActor: Actor = { userId: null, ip: null, userAgent: "organic-cli" };

import "server-only";
import type { Db } from "@/server/db";

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
}

export const systemActor: Actor = { userId: null, ip: null, userAgent: "organic-cli" };

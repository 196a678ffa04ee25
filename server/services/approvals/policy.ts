import "server-only";
import { ForbiddenError } from "@/server/errors";
import type { WorkspaceServiceContext } from "../context";
import { getPublishingSettings } from "../workspaces/publishing";
import { hasRole } from "../workspaces/roles";

/**
 * Whether this actor must ask for approval: the workspace requires it and the actor is a member
 * (admins and owners never need it; the system — workers, CLI — acts without a role).
 */
export async function approvalRequiredFor(ctx: WorkspaceServiceContext): Promise<boolean> {
  if (!ctx.actorRole || hasRole(ctx.actorRole, "admin")) return false;
  return (await getPublishingSettings(ctx.db, ctx.workspaceId)).requireApproval;
}

/** Refuses a direct publish, schedule or send by someone who must submit it for approval. */
export async function assertMayActDirectly(ctx: WorkspaceServiceContext, what: string) {
  if (await approvalRequiredFor(ctx)) {
    throw new ForbiddenError(
      `This workspace requires an admin's approval to ${what}: submit it for approval instead`,
    );
  }
}

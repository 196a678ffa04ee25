import type { Role } from "@/server/db/schema";

export const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function hasRole(role: Role, min: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}

export const canWrite = (role: Role) => hasRole(role, "member");
export const canManageMembers = (role: Role) => hasRole(role, "admin");
export const canManageWorkspace = (role: Role) => hasRole(role, "admin");

/** Why a member with too low a role is refused; the same words on every edge. */
export function roleRefusalMessage(minRole: Role): string {
  return minRole === "member"
    ? "Viewers have read-only access to this workspace"
    : `This needs the ${minRole} role or higher`;
}

import type { Role } from "@/server/db/schema";

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including billing and other owners",
  admin: "Manages settings, members and invitations",
  member: "Creates and edits content, leads and campaigns",
  viewer: "Read-only access",
};

/** Roles an actor may hand out in the member list: only owners grant owner. */
export function assignableRoles(actorRole: Role): Role[] {
  return actorRole === "owner" ? ["owner", "admin", "member", "viewer"] : ["admin", "member", "viewer"];
}

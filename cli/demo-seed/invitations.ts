import { randomToken, sha256Hex } from "@/lib/crypto";
import { INVITATION_TTL_DAYS } from "@/server/services/workspaces/schemas";
import { DAY } from "./rng";

/** Two teammates still to join, so the members page shows pending invitations. No email is sent. */
export function buildInvitations(workspaceId: string, invitedBy: string | null, now: number) {
  return [
    { email: "sam.rivera@example.com", role: "member" as const, sentDaysAgo: 2 },
    { email: "wholesale@example.net", role: "viewer" as const, sentDaysAgo: 1 },
  ].map((i) => ({
    workspaceId,
    email: i.email,
    role: i.role,
    // A fresh random token nobody holds: the invitation shows in lists but cannot be accepted.
    tokenHash: sha256Hex(randomToken()),
    status: "pending" as const,
    invitedBy,
    createdAt: new Date(now - i.sentDaysAgo * DAY),
    expiresAt: new Date(now + (INVITATION_TTL_DAYS - i.sentDaysAgo) * DAY),
  }));
}

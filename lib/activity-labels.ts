const str = (v: unknown) => (typeof v === "string" ? v : "");

/** A short human sentence for an activity_logs action. */
export function describeAction(action: string, meta: Record<string, unknown> = {}): string {
  switch (action) {
    case "workspace.created":
      return `created the workspace ${str(meta.name)}`.trim();
    case "workspace.updated":
      return `updated workspace settings (${Object.keys(meta).join(", ")})`;
    case "invitation.created":
      return `invited ${str(meta.email)} as ${str(meta.role)}`;
    case "invitation.revoked":
      return `revoked the invitation for ${str(meta.email)}`;
    case "invitation.accepted":
      return `joined as ${str(meta.role)}`;
    case "invitation.declined":
      return `declined an invitation (${str(meta.email)})`;
    case "member.role_changed":
      return `changed a member's role from ${str(meta.from)} to ${str(meta.to)}`;
    case "member.removed":
      return "removed a member";
    case "member.left":
      return "left the workspace";
    case "api_key.created":
      return `created the API key ${str(meta.name)}`.trim();
    case "demo.seeded":
      return "loaded demo data";
    default:
      return action.replace(/[._]/g, " ");
  }
}

import { platformLabel } from "./content-labels";

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** A content type as a noun in a sentence ("created the YouTube Short …"). */
const TYPE_NOUN: Record<string, string> = {
  tiktok: "TikTok video",
  youtube: "YouTube Short",
  instagram: "Instagram Reel",
  blog: "blog post",
  email: "email",
};

/** Why a key changed without anyone revoking it by hand (server/services/api-keys.ts). */
const KEY_REASONS: Record<string, string> = {
  "member.removed": " (its creator was removed)",
  "member.left": " (its creator left)",
  "member.role_changed": " (its creator became a viewer)",
};

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
    case "member.auto_joined":
      return `joined as ${str(meta.role)} (verified address at ${str(meta.domain)})`;
    case "workspace.sso_updated":
      return `changed single sign-on: ${meta.ssoRequired ? "required" : "not required"}, auto-join ${
        meta.autoJoinDomain ? `${str(meta.autoJoinDomain)} as ${str(meta.autoJoinRole)}` : "off"
      }`;
    case "api_key.created":
      return `created the API key ${str(meta.name)}`.trim();
    case "api_key.revoked":
      return `revoked the API key ${str(meta.name)}${KEY_REASONS[str(meta.reason)] ?? ""}`;
    case "api_key.scopes_reduced":
      return `made the API key ${str(meta.name)} read-only${KEY_REASONS[str(meta.reason)] ?? ""}`;
    case "content.created":
      return `created the ${TYPE_NOUN[str(meta.type)] ?? str(meta.type)} “${str(meta.title)}”`;
    case "content.updated":
      return "edited content";
    case "content.repurposed": {
      const platforms = Array.isArray(meta.platforms) ? meta.platforms.map((p) => platformLabel(str(p))) : [];
      return platforms.length
        ? `posted a video everywhere: ${platforms.join(", ")}`
        : "posted a video everywhere";
    }
    case "content.deleted":
      return `deleted “${str(meta.title)}”`;
    case "content.duplicated":
      return "duplicated content";
    case "content.scheduled":
      return `scheduled “${str(meta.title)}”`;
    case "content.unscheduled":
      return `unscheduled “${str(meta.title)}”`;
    case "content.publish_requested":
      return `asked to publish “${str(meta.title)}” now`;
    case "content.retry_requested":
      return `retried publishing “${str(meta.title)}”`;
    case "content.published":
      return `published “${str(meta.title)}”`;
    case "content.failed":
      return `could not publish “${str(meta.title)}”: ${str(meta.error)}`;
    case "content.generation_started":
      return "started an AI draft";
    case "content.generation_failed":
      return "had an AI draft fail";
    case "workspace.brand_updated":
      return "updated the brand voice and products";
    case "workspace.publishing_updated":
      return `updated the posting queue (${String(meta.slots ?? 0)} slots a week) and approval (${
        meta.requireApproval ? "required" : "not required"
      })`;
    case "approval.submitted":
      return `submitted “${str(meta.title)}” for approval (${str(meta.action)})`;
    case "approval.approved":
      return `approved “${str(meta.title)}” (${str(meta.action)})`;
    case "approval.rejected":
      return `rejected “${str(meta.title)}”: ${str(meta.reason)}`;
    case "approval.withdrawn":
      return "withdrew a request for approval";
    case "media.uploaded":
      return `uploaded ${str(meta.filename)}`.trim();
    case "media.deleted":
      return `deleted ${str(meta.filename)}`.trim();
    case "campaign.created":
      return `created the campaign “${str(meta.name)}”`;
    case "campaign.send_started":
      return `started sending “${str(meta.name)}”`.replace(" “”", "");
    case "campaign.sent":
      return `finished sending “${str(meta.name)}”`.replace(" “”", "");
    case "campaign.test_sent":
      return `sent a test email to ${str(meta.to)}`.trim();
    case "lead.created":
      return `added the lead ${str(meta.email)}`.trim();
    case "lead.imported":
      return `imported leads (${String(meta.imported ?? 0)} new, ${String(meta.updated ?? 0)} updated, ${String(meta.invalid ?? 0)} rejected)`;
    case "lead.exported":
      return `exported ${String(meta.rows ?? meta.count ?? "")} leads`.replace("  ", " ");
    case "workspace.sender_updated":
      return "updated the sender settings";
    case "workspace.onboarding_hidden":
      return "hid the getting-started checklist";
    case "demo.seeded":
      return "loaded demo data";
    case "lead.bounced":
      return `a lead's address bounced${meta.bounceType === "soft" ? ` (${Number(meta.softBounces ?? 3)} soft bounces)` : ""}: mail to it stops`;
    case "lead.complained":
      return "a lead marked a message as spam: mail to it stops";
    case "workspace.bounce_settings_updated":
      return "updated the bounce address and mailbox";
    case "workspace.bounce_mailbox_tested":
      return `tested the bounce mailbox (${meta.ok ? "connected" : "failed"})`;
    case "workspace.bounce_mailbox_checked":
      return `checked the bounce mailbox (${Number(meta.read ?? 0)} new messages)`;
    case "campaign.goals_updated":
      return "changed a campaign's goals";
    case "campaign.goal_reached":
      return `a lead left a campaign: ${meta.reason === "replied" ? "replied" : "placed an order"}`;
    default:
      return action.replace(/[._]/g, " ");
  }
}

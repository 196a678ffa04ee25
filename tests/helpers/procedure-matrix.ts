import { generateKeyPairSync } from "node:crypto";
import type { SessionUser } from "@/server/api/trpc";
import type { Role } from "@/server/db/schema";
import type { TenantFixture } from "./tenant-fixture";

/**
 * Who may call a procedure:
 * - "public": anyone, signed out included (it must still not reveal another tenant's rows);
 * - "authed": any signed-in user, acting on their own things (profile, own workspaces, an
 *   invitation addressed to them);
 * - a role: a member of the workspace in `workspaceId` holding at least that role.
 */
export type Access = "public" | "authed" | Role;

export interface MatrixEntry {
  access: Access;
  /** A valid input aimed at workspace A's fixture rows. */
  input: (f: TenantFixture) => unknown;
  /** Its positive call removes or consumes a fixture row: run after every other positive call. */
  destructive?: boolean;
  /** For "authed" procedures: who makes the positive call (default: A's owner). */
  positiveAs?: (f: TenantFixture) => SessionUser;
  /**
   * For "authed"/"public" procedures called by workspace B's owner with A's identifiers:
   * "refused" = must fail (NOT_FOUND/FORBIDDEN…); "own" = acts on the caller's own data only.
   */
  otherTenant?: "refused" | "own";
  /**
   * The input carries a bearer secret (an invitation token): holding it is the permission. Callers
   * without it are tested with this tampered copy of the input instead, which must be NOT_FOUND.
   */
  tamper?: (input: unknown) => unknown;
  /**
   * Why the positive call cannot succeed against the test set-up (e.g. it needs Amazon): it must
   * then fail with a domain error, never an auth refusal or a 500. Without this it must succeed.
   */
  domainErrorBecause?: string;
}

const wrongToken = (input: unknown) => ({ token: `${(input as { token: string }).token.slice(0, -4)}zzzz` });

const ws = (f: TenantFixture) => ({ workspaceId: f.ws.id });
const day = 86_400_000;
const address = {
  name: "Ada Lovelace",
  addressLine1: "1 Analytical Way",
  city: "London",
  stateOrRegion: "LDN",
  postalCode: "N1 1AA",
  countryCode: "GB",
};
const dkimKey = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
  type: "pkcs8",
  format: "pem",
}) as string;
const step = { subject: "Hi {{name}}", body: "<p>Hello</p>" };
const period = (f: TenantFixture) => ({ ...ws(f), preset: "30d" as const });

/**
 * Every tRPC procedure, by path. isolation-trpc.test.ts fails when the app router has a procedure
 * missing here (or this names one that is gone), so a new procedure cannot skip the matrix.
 */
export const procedureMatrix: Record<string, MatrixEntry> = {
  "auth.session": { access: "public", input: () => undefined, otherTenant: "own" },
  "auth.profile": { access: "authed", input: () => undefined, otherTenant: "own" },
  "auth.signInMethods": { access: "authed", input: () => undefined, otherTenant: "own" },
  "auth.updateProfile": { access: "authed", input: () => ({ name: "Renamed" }), otherTenant: "own" },

  "instance.me": { access: "authed", input: () => undefined, otherTenant: "own" },
  "instance.credentials": {
    access: "authed",
    input: () => undefined,
    otherTenant: "refused",
    positiveAs: (f) => f.instanceAdmin,
  },
  "instance.updateCredentials": {
    access: "authed",
    input: () => ({
      provider: "amazon",
      values: { clientId: "amzn1.app-client", clientSecret: "s3cret", appId: "amzn1.sp.solution.x" },
    }),
    otherTenant: "refused",
    positiveAs: (f) => f.instanceAdmin,
  },
  "instance.clearCredentials": {
    access: "authed",
    input: () => ({ provider: "amazon" }),
    otherTenant: "refused",
    positiveAs: (f) => f.instanceAdmin,
    destructive: true,
  },
  "emailWebhooks.get": {
    access: "authed",
    input: () => undefined,
    otherTenant: "refused",
    positiveAs: (f) => f.instanceAdmin,
  },
  "emailWebhooks.save": {
    access: "authed",
    input: () => ({
      sendgridPublicKey: "",
      sesTopicArns: ["arn:aws:sns:eu-west-1:123456789012:ses-bounces"],
    }),
    otherTenant: "refused",
    positiveAs: (f) => f.instanceAdmin,
  },
  "emailWebhooks.regeneratePostmark": {
    access: "authed",
    input: () => undefined,
    otherTenant: "refused",
    positiveAs: (f) => f.instanceAdmin,
  },

  "workspace.list": { access: "authed", input: () => undefined, otherTenant: "own" },
  "workspace.get": { access: "authed", input: (f) => ({ id: f.ws.id }), otherTenant: "refused" },
  "workspace.create": {
    access: "authed",
    input: () => ({ name: "Another workspace" }),
    otherTenant: "own",
  },
  "workspace.update": { access: "admin", input: (f) => ({ ...ws(f), name: "Workspace A" }) },
  "workspace.members.list": { access: "viewer", input: ws },
  "workspace.members.changeRole": {
    access: "admin",
    input: (f) => ({ ...ws(f), memberId: f.rows.target.member.id, role: "member" }),
  },
  "workspace.members.remove": {
    access: "admin",
    input: (f) => ({ ...ws(f), memberId: f.rows.target.member.id }),
    destructive: true,
  },
  "workspace.members.leave": { access: "viewer", input: ws },
  "workspace.brand.get": { access: "viewer", input: ws },
  "workspace.brand.update": { access: "admin", input: (f) => ({ ...ws(f), brandVoice: "Warm" }) },
  "workspace.publishing.get": { access: "viewer", input: ws },
  "workspace.publishing.update": {
    access: "admin",
    input: (f) => ({ ...ws(f), slots: [], requireApproval: false }),
  },
  "workspace.invitations.list": { access: "admin", input: ws },
  "workspace.invitations.create": {
    access: "admin",
    input: (f) => ({ ...ws(f), email: "new-invitee@example.test", role: "viewer" }),
  },
  "workspace.invitations.revoke": {
    access: "admin",
    input: (f) => ({ ...ws(f), invitationId: f.rows.invitationToRevoke.id }),
    destructive: true,
  },
  // The token is the capability: whoever holds the link sees whom it invites to what.
  "workspace.invitations.get": {
    access: "public",
    input: (f) => ({ token: f.rows.invitationToken }),
    otherTenant: "own",
    tamper: wrongToken,
  },
  "workspace.invitations.accept": {
    access: "authed",
    input: (f) => ({ token: f.rows.invitationToken }),
    positiveAs: (f) => f.rows.invitee,
    otherTenant: "refused",
    tamper: wrongToken,
    destructive: true,
  },
  "workspace.invitations.decline": {
    access: "authed",
    input: (f) => ({ token: f.rows.invitationToken }),
    positiveAs: (f) => f.rows.invitee,
    otherTenant: "refused",
    tamper: wrongToken,
    destructive: true,
    domainErrorBecause: "the positive accept call answered the invitation first",
  },
  "workspace.activity.list": { access: "viewer", input: ws },
  "workspace.sso.get": { access: "admin", input: ws },
  "workspace.sso.update": {
    access: "admin",
    input: (f) => ({ ...ws(f), ssoRequired: false, autoJoinDomain: null, autoJoinRole: "member" }),
  },

  "content.list": { access: "viewer", input: ws },
  "content.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.content.id }) },
  "content.calendar": {
    access: "viewer",
    input: (f) => ({ ...ws(f), from: new Date(Date.now() - 30 * day), to: new Date(Date.now() + 30 * day) }),
  },
  "content.readiness": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.content.id }) },
  "content.create": { access: "member", input: (f) => ({ ...ws(f), type: "blog", title: "New post" }) },
  "content.update": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.content.id, title: "Post of A" }),
  },
  "content.delete": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.content.id }),
    destructive: true,
  },
  "content.duplicate": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.content.id }) },
  "content.schedule": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.content.id, scheduledAt: new Date(Date.now() + 2 * day) }),
  },
  "content.unschedule": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.content.id }) },
  "content.publishNow": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.content.id }),
    destructive: true,
  },
  "content.retry": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.content.id }),
    domainErrorBecause: "only a failed item can be retried; the fixture’s is a draft",
  },
  "content.addToQueue": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.content.id }),
    domainErrorBecause: "the fixture's workspace has no posting slots",
  },
  "approvals.required": { access: "viewer", input: ws },
  "approvals.list": { access: "viewer", input: ws },
  "approvals.forEntity": {
    access: "viewer",
    input: (f) => ({ ...ws(f), entityType: "content", entityId: f.rows.content.id }),
  },
  "approvals.pendingIds": { access: "viewer", input: (f) => ({ ...ws(f), entityType: "content" }) },
  "approvals.submit": {
    access: "member",
    input: (f) => ({ ...ws(f), entityType: "content", entityId: f.rows.content.id, action: "publish" }),
    domainErrorBecause: "the fixture's workspace does not require approval",
  },
  "approvals.withdraw": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.content.id }),
    domainErrorBecause: "the fixture has no approval request",
  },
  "approvals.approve": {
    access: "admin",
    input: (f) => ({ ...ws(f), id: f.rows.content.id }),
    domainErrorBecause: "the fixture has no approval request",
  },
  "approvals.reject": {
    access: "admin",
    input: (f) => ({ ...ws(f), id: f.rows.content.id, reason: "Not yet" }),
    domainErrorBecause: "the fixture has no approval request",
  },
  "content.postEverywhere": {
    access: "member",
    input: (f) => ({
      ...ws(f),
      id: f.rows.content.id,
      platforms: ["instagram"],
      mediaId: f.rows.media.id,
      words: "write",
    }),
    domainErrorBecause: "the fixture's media file is an image, not a video (refused before any AI call)",
  },
  "content.group": {
    access: "viewer",
    input: (f) => ({ ...ws(f), groupId: f.rows.content.id }),
    domainErrorBecause: "the fixture has no group of posts (NOT_FOUND for its own workspace too)",
  },
  "content.generate": {
    access: "member",
    input: (f) => ({
      ...ws(f),
      platform: "blog",
      product: "Tea",
      contentType: "tips",
      tone: "casual",
      length: "short",
    }),
  },

  "media.list": { access: "viewer", input: ws },
  "media.limits": { access: "viewer", input: ws },
  "media.delete": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.media.id }), destructive: true },

  "notifications.list": { access: "viewer", input: ws },
  "notifications.markRead": { access: "viewer", input: (f) => ({ ...ws(f), ids: [f.rows.notification.id] }) },

  "jobs.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.job.id }) },

  "email.campaigns.list": { access: "viewer", input: ws },
  "email.campaigns.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.campaign.id }) },
  "email.campaigns.report": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.campaign.id }) },
  "email.campaigns.mergeFields": { access: "viewer", input: ws },
  "email.campaigns.preview": { access: "viewer", input: (f) => ({ ...ws(f), step }) },
  "email.campaigns.audienceSize": {
    access: "viewer",
    input: (f) => ({ ...ws(f), audience: { segmentId: f.rows.segment.id } }),
  },
  "email.campaigns.create": {
    access: "member",
    input: (f) => ({ ...ws(f), type: "one-time", name: "New campaign", steps: [step] }),
  },
  "email.campaigns.update": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id, name: "Campaign of A" }),
  },
  "email.campaigns.delete": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id }),
    destructive: true,
  },
  "email.campaigns.duplicate": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.campaign.id }) },
  "email.campaigns.sendNow": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id }),
    destructive: true,
  },
  "email.campaigns.schedule": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id, sendAt: new Date(Date.now() + 2 * day) }),
  },
  "email.campaigns.unschedule": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.campaign.id }) },
  "email.campaigns.activate": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id }),
    domainErrorBecause: "only sequences and triggered campaigns can be activated; the fixture's is one-time",
  },
  "email.campaigns.pause": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id }),
    domainErrorBecause: "only a sending or active campaign can be paused; the fixture’s is a one-time draft",
  },
  "email.campaigns.resume": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id }),
    domainErrorBecause: "only a paused campaign can be resumed",
  },
  "email.campaigns.cancel": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id }),
    destructive: true,
  },
  "email.campaigns.testRecipients": { access: "member", input: ws },
  "email.campaigns.sendTest": {
    access: "member",
    // Tests go to members' addresses only (the fixture has no SMTP: the outbox needs no verification).
    input: (f) => ({ ...ws(f), campaignId: f.rows.campaign.id, to: f.owner.email, step }),
  },
  "emailAbTest.get": { access: "viewer", input: (f) => ({ ...ws(f), campaignId: f.rows.campaign.id }) },
  // Removing the (absent) test: a real save that leaves the fixture campaign without variants.
  "emailAbTest.save": {
    access: "member",
    input: (f) => ({ ...ws(f), campaignId: f.rows.campaign.id, settings: null }),
  },
  "emailAbTest.decide": {
    access: "admin",
    input: (f) => ({ ...ws(f), campaignId: f.rows.campaign.id }),
    domainErrorBecause: "the fixture's campaign runs no A/B test",
  },
  "emailTemplates.list": { access: "viewer", input: ws },
  "emailTemplates.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.template.id }) },
  "emailTemplates.create": {
    access: "member",
    input: (f) => ({
      ...ws(f),
      name: `Matrix template ${Math.random().toString(36).slice(2)}`,
      blocks: [{ type: "text", text: "Hello {{name|there}}" }],
    }),
  },
  "emailTemplates.rename": {
    access: "member",
    input: (f) => ({
      ...ws(f),
      id: f.rows.template.id,
      name: `Renamed ${Math.random().toString(36).slice(2)}`,
    }),
  },
  "emailTemplates.delete": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.template.id }),
    destructive: true,
  },
  "email.sender.get": { access: "viewer", input: ws },
  "email.sender.update": {
    access: "admin",
    input: (f) => ({
      ...ws(f),
      fromName: "A Team",
      fromEmail: "team@tenant-a.test",
      postalAddress: "1 Analytical Way, London",
    }),
  },
  "email.sender.mailServer": { access: "viewer", input: ws },
  "email.sender.updateMailServer": {
    access: "admin",
    input: (f) => ({ ...ws(f), mode: "default" }),
  },
  "email.sender.testMailServer": {
    access: "admin",
    // The test has no SMTP_URL: the answer says mail stays in the outbox (reported, not thrown).
    input: (f) => ({ ...ws(f), mode: "default" }),
  },
  "email.sender.dkim": { access: "viewer", input: ws },
  "email.sender.updateDkim": {
    access: "admin",
    input: (f) => ({ ...ws(f), domain: "tenant-a.test", selector: "org", privateKey: dkimKey }),
  },
  "email.sender.removeDkim": { access: "admin", input: ws },
  "email.sender.readiness": {
    access: "viewer",
    input: (f) => ({ ...ws(f), campaignId: f.rows.campaign.id }),
  },
  "email.sender.domains": { access: "viewer", input: ws },
  "email.sender.addDomain": { access: "admin", input: (f) => ({ ...ws(f), domain: "news.tenant-a.test" }) },
  "email.sender.verifyDomain": {
    access: "admin",
    // DNS_SERVERS is a closed local port in tests: the check runs and records "try again".
    input: (f) => ({ ...ws(f), id: f.rows.senderDomain.id }),
  },
  "senderDomains.rotateDkim": {
    access: "admin",
    input: (f) => ({ ...ws(f), id: f.rows.senderDomain.id }),
  },
  "email.sender.removeDomain": {
    access: "admin",
    input: (f) => ({ ...ws(f), id: f.rows.senderDomain.id }),
    destructive: true,
  },
  "email.outbox.list": { access: "admin", input: ws },
  "email.outbox.get": { access: "admin", input: (f) => ({ ...ws(f), id: f.rows.outbox.id }) },

  "leadsImport.preview": { access: "member", input: (f) => ({ ...ws(f), uploadId: f.rows.upload.uploadId }) },
  "leadsImport.start": {
    access: "member",
    input: (f) => ({ ...ws(f), uploadId: f.rows.upload.uploadId, mapping: { email: "email", name: "name" } }),
    destructive: true,
  },

  "suppressions.list": { access: "viewer", input: ws },
  "suppressions.count": { access: "viewer", input: ws },
  "suppressions.add": { access: "member", input: (f) => ({ ...ws(f), value: "gone.tenant-a.test" }) },
  "suppressions.import": {
    access: "member",
    input: (f) => ({ ...ws(f), csv: "email\nimported-block@tenant-a.test\n", fileName: "a.csv" }),
  },
  "suppressions.export": { access: "member", input: ws },
  "suppressions.remove": {
    access: "admin",
    destructive: true,
    input: (f) => ({ ...ws(f), id: f.rows.suppression.id }),
  },
  "segments.list": { access: "viewer", input: ws },
  "segments.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.segment.id }) },
  "segments.preview": {
    access: "viewer",
    input: (f) => ({ ...ws(f), criteria: { match: "all", conditions: [] } }),
  },
  "segments.create": {
    access: "member",
    input: (f) => ({ ...ws(f), name: "New segment", criteria: { match: "all", conditions: [] } }),
  },
  "segments.update": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.segment.id, name: "Seg A" }) },
  "segments.delete": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.segment.id }),
    destructive: true,
  },

  "links.list": { access: "viewer", input: ws },
  "links.steps": { access: "viewer", input: ws },
  "links.clicksByDay": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.link.id }) },
  "links.create": {
    access: "member",
    input: (f) => ({ ...ws(f), destination: "https://shop.tenant-a.test/new", contentId: f.rows.content.id }),
  },
  "links.update": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.link.id, destination: "https://shop.tenant-a.test/moved" }),
  },
  "links.delete": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.link.id }), destructive: true },
  "sendTime.scheduleLocal": {
    access: "member",
    input: (f) => ({
      ...ws(f),
      id: f.rows.campaign.id,
      date: new Date(Date.now() + 3 * day).toISOString().slice(0, 10),
      time: "09:00",
    }),
  },
  "sendTime.quietHours": { access: "viewer", input: ws },
  "sendTime.setQuietHours": {
    access: "admin",
    input: (f) => ({ ...ws(f), quietHours: { from: 21, to: 8 } }),
  },
  "sendTime.setLeadTimeZone": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.lead.id, timeZone: "Europe/Berlin" }),
  },
  "bounces.settings": { access: "viewer", input: ws },
  "bounces.updateSettings": {
    access: "admin",
    input: (f) => ({ ...ws(f), returnPath: "bounces@tenant-a.test", mailbox: null }),
  },
  "bounces.testMailbox": {
    access: "admin",
    input: (f) => ({
      ...ws(f),
      mailbox: {
        host: "127.0.0.1",
        port: 143,
        security: "none",
        username: "b",
        password: "p",
        folder: "INBOX",
      },
    }),
  },
  "bounces.checkNow": { access: "admin", input: ws },
  "bounces.goals": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.campaign.id }) },
  "bounces.updateGoals": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.campaign.id, stopOnOrder: true, stopOnReply: false }),
    domainErrorBecause:
      "the fixture campaign is a one-time send; goals are for sequences and triggered campaigns",
  },
  "attribution.settings": { access: "viewer", input: ws },
  "attribution.updateSettings": {
    access: "admin",
    input: (f) => ({ ...ws(f), model: "last_touch", windowDays: 7 }),
  },
  "attribution.orders": { access: "viewer", input: ws },
  "attribution.stores.list": { access: "viewer", input: ws },
  "attribution.stores.create": {
    access: "admin",
    input: (f) => ({ ...ws(f), platform: "woocommerce", shop: "https://woo.tenant-a.test" }),
  },
  "attribution.stores.delete": {
    access: "admin",
    input: (f) => ({ ...ws(f), id: f.rows.store.id }),
    destructive: true,
  },
  "forms.list": { access: "viewer", input: ws },
  "forms.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.form.id }) },
  "forms.create": { access: "admin", input: (f) => ({ ...ws(f), name: "New form" }) },
  "forms.update": { access: "admin", input: (f) => ({ ...ws(f), id: f.rows.form.id, name: "Form A" }) },
  "forms.delete": { access: "admin", input: (f) => ({ ...ws(f), id: f.rows.form.id }), destructive: true },

  "leads.list": { access: "viewer", input: ws },
  "leads.count": { access: "viewer", input: (f) => ({ ...ws(f), status: "active", tags: ["vip"] }) },
  "leads.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.lead.id }) },
  "leads.tags": { access: "viewer", input: ws },
  "leads.sources": { access: "viewer", input: ws },
  "leads.create": { access: "member", input: (f) => ({ ...ws(f), email: "new-lead@tenant-a.test" }) },
  "leads.update": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.lead.id, name: "Lead A" }) },
  "leads.delete": { access: "member", input: (f) => ({ ...ws(f), id: f.rows.lead.id }), destructive: true },
  "leads.bulk": {
    access: "member",
    input: (f) => ({ ...ws(f), ids: [f.rows.lead.id], action: "addTag", tag: "bulk" }),
  },
  "leads.fields.list": { access: "viewer", input: ws },
  "leads.fields.create": {
    access: "member",
    input: (f) => ({ ...ws(f), label: "Company size", type: "number" }),
  },
  "leads.fields.update": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.field.id, label: "Plan" }),
  },
  "leads.fields.delete": {
    access: "admin",
    input: (f) => ({ ...ws(f), id: f.rows.field.id }),
    destructive: true,
  },

  "integrations.list": { access: "viewer", input: ws },
  "integrations.connect": {
    access: "admin",
    input: (f) => ({ ...ws(f), provider: "tiktok" }),
    domainErrorBecause: "no TikTok app credentials on the test server",
  },
  "integrations.disconnect": {
    access: "admin",
    input: (f) => ({ ...ws(f), provider: "tiktok" }),
    destructive: true,
  },
  "integrations.test": { access: "admin", input: (f) => ({ ...ws(f), provider: "tiktok" }) },
  "integrations.sync": { access: "admin", input: (f) => ({ ...ws(f), provider: "tiktok" }) },
  "integrations.saveAi": { access: "admin", input: (f) => ({ ...ws(f), model: "gpt-test" }) },
  "integrations.tiktokCreatorInfo": { access: "member", input: ws },

  "amazon.status": { access: "viewer", input: ws },
  "amazon.connect": {
    access: "admin",
    input: (f) => ({
      ...ws(f),
      clientId: "amzn1.application-oa2-client.a",
      clientSecret: "secret",
      refreshToken: "Atzr|fixture",
      region: "eu",
      marketplaceId: "A1F83G8C2ARO7P",
    }),
    domainErrorBecause: "Amazon’s token endpoint is a closed local port here",
  },
  "amazon.test": { access: "admin", input: ws, domainErrorBecause: "Amazon is not connected" },
  "amazon.syncNow": { access: "admin", input: ws, domainErrorBecause: "Amazon is not connected" },
  "amazon.disconnect": { access: "admin", input: ws, destructive: true },

  "integrations.amazonAds.status": { access: "viewer", input: ws },
  "integrations.amazonAds.connect": {
    access: "admin",
    input: (f) => ({
      ...ws(f),
      clientId: "amzn1.application-oa2-client.a",
      clientSecret: "secret",
      refreshToken: "Atzr|fixture",
      region: "na",
    }),
    domainErrorBecause: "Amazon’s token endpoint is a closed local port here",
  },
  "integrations.amazonAds.profiles": {
    access: "admin",
    input: ws,
    domainErrorBecause: "Amazon Ads is not connected",
  },
  "integrations.amazonAds.chooseProfile": {
    access: "admin",
    input: (f) => ({ ...ws(f), profileId: "3214587690" }),
    domainErrorBecause: "Amazon Ads is not connected",
  },
  "integrations.amazonAds.advertisers": {
    access: "admin",
    input: ws,
    domainErrorBecause: "Amazon Ads is not connected",
  },
  "integrations.amazonAds.chooseAdvertiser": {
    access: "admin",
    input: (f) => ({ ...ws(f), advertiserId: "9873216540" }),
    domainErrorBecause: "Amazon Ads is not connected",
  },
  "integrations.amazonAds.refreshTags": {
    access: "admin",
    input: ws,
    domainErrorBecause: "Amazon Ads is not connected",
  },
  "integrations.amazonAds.syncNow": {
    access: "admin",
    input: ws,
    domainErrorBecause: "Amazon Ads is not connected",
  },
  "integrations.amazonAds.disconnect": { access: "admin", input: ws, destructive: true },
  "integrations.amazonAds.summary": {
    access: "viewer",
    input: (f) => ({ ...ws(f), from: "2026-01-01", to: "2026-01-31" }),
  },

  "fulfillment.list": { access: "viewer", input: (f) => ({ ...ws(f), leadId: f.rows.lead.id }) },
  "fulfillment.get": { access: "viewer", input: (f) => ({ ...ws(f), id: f.rows.fulfillment.id }) },
  "fulfillment.preview": {
    access: "member",
    input: (f) => ({ ...ws(f), address, items: [{ sellerSku: "SKU-A", quantity: 1 }] }),
    domainErrorBecause: "Amazon is not connected",
  },
  "fulfillment.create": {
    access: "member",
    input: (f) => ({
      ...ws(f),
      address,
      items: [{ sellerSku: "SKU-A", quantity: 1 }],
      shippingSpeedCategory: "Standard",
      leadId: f.rows.lead.id,
      displayableOrderComment: "Thanks",
    }),
    domainErrorBecause: "Amazon is not connected",
  },
  "fulfillment.cancel": {
    access: "member",
    input: (f) => ({ ...ws(f), id: f.rows.fulfillment.id }),
    destructive: true,
    domainErrorBecause: "Amazon is not connected",
  },

  "apiKeys.list": { access: "admin", input: ws },
  "apiKeys.create": { access: "admin", input: (f) => ({ ...ws(f), name: "New key", scopes: ["read"] }) },
  "apiKeys.revoke": {
    access: "admin",
    input: (f) => ({ ...ws(f), apiKeyId: f.rows.apiKey.id }),
    destructive: true,
  },

  "webhooks.eventTypes": { access: "admin", input: ws },
  "webhooks.list": { access: "admin", input: ws },
  "webhooks.create": {
    access: "admin",
    input: (f) => ({ ...ws(f), url: "https://hooks.tenant-a.test/new", events: ["lead.unsubscribed"] }),
  },
  "webhooks.update": {
    access: "admin",
    input: (f) => ({ ...ws(f), endpointId: f.rows.endpoint.id, description: "A's hook" }),
  },
  "webhooks.delete": {
    access: "admin",
    input: (f) => ({ ...ws(f), endpointId: f.rows.endpoint.id }),
    destructive: true,
  },
  "webhooks.revealSecret": { access: "admin", input: (f) => ({ ...ws(f), endpointId: f.rows.endpoint.id }) },
  "webhooks.rotateSecret": { access: "admin", input: (f) => ({ ...ws(f), endpointId: f.rows.endpoint.id }) },
  "webhooks.deliveries": { access: "admin", input: (f) => ({ ...ws(f), endpointId: f.rows.endpoint.id }) },
  "webhooks.resend": { access: "admin", input: (f) => ({ ...ws(f), deliveryId: f.rows.delivery.id }) },

  "analytics.overview": { access: "viewer", input: period },
  "analytics.content": { access: "viewer", input: period },
  "analytics.email": { access: "viewer", input: period },
  "analytics.leads": { access: "viewer", input: period },
  "analytics.revenue": { access: "viewer", input: period },
  "analytics.funnel": { access: "viewer", input: period },
  "analytics.attribution": { access: "viewer", input: period },

  "onboarding.checklist": { access: "viewer", input: ws },
  "onboarding.hide": { access: "admin", input: ws },
  "palette.search": { access: "viewer", input: (f) => ({ ...ws(f), query: "a" }) },
};

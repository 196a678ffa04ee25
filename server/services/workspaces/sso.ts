import { and, asc, eq } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { users, workspaceMembers, workspaces } from "@/server/db/schema";
import {
  ConflictError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
  ValidationError,
} from "@/server/errors";
import { record } from "../activity";
import type { Actor, WorkspaceServiceContext } from "../context";
import { PUBLIC_MAIL_DOMAINS, type UpdateSsoSettingsInput } from "./sso-schemas";

/**
 * Company SSO rules of a workspace (issue 18): `ssoRequired` lets its members in only through the
 * OIDC provider, and `autoJoinDomain` makes everyone with a verified address at that domain a
 * member with `autoJoinRole`. The rule holds only while the server has an OIDC provider: if the
 * operator removes OIDC_ISSUER, members are not locked out of their workspace.
 */

/** The session's way in that satisfies `ssoRequired` (sessions.sign_in_method). */
export const SSO_SIGN_IN_METHOD = "oidc";

/** The OIDC provider's name ("Sign in with <name>") when one is configured, else null. */
export function ssoProviderName(): string | null {
  const e = env();
  return e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET ? e.OIDC_NAME : null;
}

/** "<Workspace> requires signing in with <provider>.": the start of every refusal, wherever it is shown. */
export function ssoRequiredMessage(workspaceName: string, provider: string): string {
  return `${workspaceName} requires signing in with ${provider}.`;
}

/** Why a session that did not come through SSO may not open this workspace, or null when it may. */
export function ssoRefusal(
  workspace: { name: string; ssoRequired: boolean },
  signInMethod: string | null | undefined,
): string | null {
  const provider = ssoProviderName();
  if (!workspace.ssoRequired || !provider || signInMethod === SSO_SIGN_IN_METHOD) return null;
  return `${ssoRequiredMessage(workspace.name, provider)} Sign out, then choose “Sign in with ${provider}”.`;
}

/**
 * Refuses a session that did not come through SSO into a workspace that requires it (tRPC's
 * workspaceProcedure, the route-handler wrapper). API keys are not sessions and never come here.
 */
export function assertSsoSatisfied(
  workspace: { name: string; ssoRequired: boolean },
  signInMethod: string | null | undefined,
): void {
  const refusal = ssoRefusal(workspace, signInMethod);
  if (refusal) throw new ForbiddenError(refusal);
}

/**
 * For a password sign-in: the first workspace (by name) that requires SSO and has the account with
 * this address as a member, or null when the password may be used.
 */
export async function ssoWorkspaceRefusingPassword(db: Db, email: string): Promise<string | null> {
  const provider = ssoProviderName();
  if (!provider || !email) return null;
  const [row] = await db
    .select({ name: workspaces.name })
    .from(users)
    .innerJoin(workspaceMembers, eq(workspaceMembers.userId, users.id))
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
    .where(and(eq(users.email, email.trim().toLowerCase()), eq(workspaces.ssoRequired, true)))
    .orderBy(asc(workspaces.name))
    .limit(1);
  return row ? `${ssoRequiredMessage(row.name, provider)} Use “Sign in with ${provider}” instead.` : null;
}

/** The domain of an address, lower case. */
const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/**
 * A user whose verified address is at a workspace's auto-join domain becomes its member with the
 * workspace's auto-join role (recorded in its activity log). Runs on every sign-in and when an
 * address is verified; a member already there keeps their role.
 */
export async function autoJoinByDomain(db: Db, userId: string, actor?: Partial<Actor>): Promise<string[]> {
  const [user] = await db
    .select({ email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.emailVerified) return [];
  const domain = domainOf(user.email);
  const candidates = await db
    .select({ id: workspaces.id, role: workspaces.autoJoinRole })
    .from(workspaces)
    .where(eq(workspaces.autoJoinDomain, domain));
  const joined: string[] = [];
  for (const ws of candidates) {
    const [member] = await db
      .insert(workspaceMembers)
      .values({ workspaceId: ws.id, userId, role: ws.role })
      .onConflictDoNothing()
      .returning({ id: workspaceMembers.id });
    if (!member) continue;
    joined.push(ws.id);
    await record(
      db,
      { userId, ip: actor?.ip ?? null, userAgent: actor?.userAgent ?? null },
      ws.id,
      "member.auto_joined",
      { type: "member", id: member.id },
      { domain, role: ws.role },
    );
  }
  return joined;
}

export async function getSsoSettings(db: Db, workspaceId: string) {
  const [row] = await db
    .select({
      ssoRequired: workspaces.ssoRequired,
      autoJoinDomain: workspaces.autoJoinDomain,
      autoJoinRole: workspaces.autoJoinRole,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!row) throw new NotFoundError("Workspace not found");
  return { ...row, providerName: ssoProviderName() };
}

/**
 * An admin changes the workspace's SSO rules. Requiring SSO needs an OIDC provider and the admin's
 * own session to have come through it (so nobody locks themselves out); a new auto-join domain must
 * be the admin's own verified address's domain and not a public mail service.
 */
export async function updateSsoSettings(
  ctx: WorkspaceServiceContext & { signInMethod: string | null | undefined },
  input: UpdateSsoSettingsInput,
) {
  const current = await getSsoSettings(ctx.db, ctx.workspaceId);
  const provider = current.providerName;
  if (input.ssoRequired && !current.ssoRequired) {
    if (!provider)
      throw new ValidationError(
        "Single sign-on is not set up on this server: its operator sets OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET first.",
      );
    if (ctx.signInMethod !== SSO_SIGN_IN_METHOD)
      throw new ForbiddenError(
        `Sign in with ${provider} first: only then can you require it, so you cannot lock yourself out.`,
      );
  }
  const domain = input.autoJoinDomain || null;
  if (domain && domain !== current.autoJoinDomain) {
    const [admin] = await ctx.db
      .select({ email: users.email, emailVerified: users.emailVerified })
      .from(users)
      .where(eq(users.id, ctx.actor.userId ?? ""));
    const field = (message: string) => new ValidationError(message, { autoJoinDomain: [message] });
    if (PUBLIC_MAIL_DOMAINS.has(domain))
      throw field(`${domain} is a public mail service: anyone can have an address there.`);
    if (!admin || domainOf(admin.email) !== domain)
      throw field("Use the domain of your own email address: you vouch for it.");
    if (!admin.emailVerified) throw field("Verify your own email address first.");
  }
  try {
    await ctx.db
      .update(workspaces)
      .set({ ssoRequired: input.ssoRequired, autoJoinDomain: domain, autoJoinRole: input.autoJoinRole })
      .where(eq(workspaces.id, ctx.workspaceId));
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError("Another workspace already lets that domain join.", {
        autoJoinDomain: ["Another workspace already lets that domain join."],
      });
    throw err;
  }
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.sso_updated",
    { type: "workspace", id: ctx.workspaceId },
    { ssoRequired: input.ssoRequired, autoJoinDomain: domain, autoJoinRole: input.autoJoinRole },
  );
  return getSsoSettings(ctx.db, ctx.workspaceId);
}

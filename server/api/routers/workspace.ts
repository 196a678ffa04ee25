import "server-only";
import { listActivity, listActivityInput } from "@/server/services/activity";
import {
  acceptInvitation,
  assertSsoSatisfied,
  brandSettingsInput,
  changeMemberRole,
  changeRoleInput,
  createInvitation,
  createInvitationInput,
  createWorkspace,
  createWorkspaceInput,
  declineInvitation,
  getBrandSettings,
  getInvitationByToken,
  getSsoSettings,
  getWorkspaceForUser,
  getWorkspaceInput,
  invitationIdInput,
  invitationTokenInput,
  leaveWorkspace,
  listInvitations,
  listMembers,
  listWorkspacesForUser,
  memberIdInput,
  removeMember,
  revokeInvitation,
  updateBrandSettings,
  updateSsoSettings,
  updateSsoSettingsInput,
  updateWorkspace,
  updateWorkspaceInput,
} from "@/server/services/workspaces";
import { getPublishingSettings, updatePublishingSettings } from "@/server/services/workspaces/publishing";
import { publishingSettingsInput } from "@/server/services/workspaces/publishing-schemas";
import { createTRPCRouter, protectedProcedure, publicProcedure, workspaceProcedure } from "../trpc";

const membersRouter = createTRPCRouter({
  list: workspaceProcedure("viewer").query(({ ctx }) => listMembers(ctx.db, ctx.workspaceId)),
  changeRole: workspaceProcedure("admin")
    .input(changeRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.ws, input)),
  remove: workspaceProcedure("admin")
    .input(memberIdInput)
    .mutation(({ ctx, input }) => removeMember(ctx.ws, input)),
  leave: workspaceProcedure("viewer").mutation(({ ctx }) => leaveWorkspace(ctx.ws)),
});

const invitationsRouter = createTRPCRouter({
  list: workspaceProcedure("admin").query(({ ctx }) => listInvitations(ctx.db, ctx.workspaceId)),
  create: workspaceProcedure("admin")
    .input(createInvitationInput)
    .mutation(({ ctx, input }) => createInvitation({ ...ctx.ws, baseUrl: ctx.baseUrl }, input)),
  revoke: workspaceProcedure("admin")
    .input(invitationIdInput)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.ws, input)),
  /** Public so the link can show what it is before the person signs in; the token is the secret. */
  get: publicProcedure
    .input(invitationTokenInput)
    .query(({ ctx, input }) => getInvitationByToken(ctx.db, input.token)),
  accept: protectedProcedure
    .input(invitationTokenInput)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, ctx.actor, input.token)),
  decline: protectedProcedure
    .input(invitationTokenInput)
    .mutation(({ ctx, input }) => declineInvitation(ctx.db, ctx.actor, input.token)),
});

export const workspaceRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listWorkspacesForUser(ctx.db, ctx.user.id)),
  get: protectedProcedure.input(getWorkspaceInput).query(async ({ ctx, input }) => {
    const workspace = await getWorkspaceForUser(ctx.db, ctx.user.id, input);
    assertSsoSatisfied(workspace, ctx.user.signInMethod);
    return workspace;
  }),
  create: protectedProcedure
    .input(createWorkspaceInput)
    .mutation(({ ctx, input }) => createWorkspace({ ...ctx, ownerId: ctx.user.id }, input)),
  update: workspaceProcedure("admin")
    .input(updateWorkspaceInput)
    .mutation(({ ctx, input }) => updateWorkspace(ctx.ws, input)),
  members: membersRouter,
  brand: createTRPCRouter({
    get: workspaceProcedure("viewer").query(({ ctx }) => getBrandSettings(ctx.db, ctx.workspaceId)),
    update: workspaceProcedure("admin")
      .input(brandSettingsInput)
      .mutation(({ ctx, input }) => updateBrandSettings(ctx.ws, input)),
  }),
  /** The posting queue's weekly slots and the approval rule (services/workspaces/publishing.ts). */
  publishing: createTRPCRouter({
    get: workspaceProcedure("viewer").query(({ ctx }) => getPublishingSettings(ctx.db, ctx.workspaceId)),
    update: workspaceProcedure("admin")
      .input(publishingSettingsInput)
      .mutation(({ ctx, input }) => updatePublishingSettings(ctx.ws, input)),
  }),
  invitations: invitationsRouter,
  /** Company SSO: require it for members, and let a verified email domain join (services/workspaces/sso.ts). */
  sso: createTRPCRouter({
    get: workspaceProcedure("admin").query(({ ctx }) => getSsoSettings(ctx.db, ctx.workspaceId)),
    update: workspaceProcedure("admin")
      .input(updateSsoSettingsInput)
      .mutation(({ ctx, input }) =>
        updateSsoSettings({ ...ctx.ws, signInMethod: ctx.user.signInMethod }, input),
      ),
  }),
  activity: createTRPCRouter({
    list: workspaceProcedure("viewer")
      .input(listActivityInput)
      .query(({ ctx, input }) => listActivity(ctx.db, ctx.workspaceId, input)),
  }),
});

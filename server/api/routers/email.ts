import "server-only";
import {
  audienceSizeInput,
  campaignIdInput,
  createCampaignInput,
  listCampaignsInput,
  previewInput,
  reportInput,
  scheduleCampaignInput,
  sendTestInput,
  updateCampaignInput,
} from "@/server/services/email/campaign-schemas";
import {
  activateCampaign,
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  duplicateCampaign,
  getCampaignOrThrow,
  listCampaigns,
  listMergeFields,
  pauseCampaign,
  previewAudience,
  previewCampaignEmail,
  resumeCampaign,
  scheduleCampaign,
  sendCampaignNow,
  unscheduleCampaign,
  updateCampaign,
} from "@/server/services/email/campaigns";
import {
  dkimSettingsInput,
  getDkimSettings,
  removeDkimSettings,
  updateDkimSettings,
} from "@/server/services/email/dkim";
import {
  getMailServerSettings,
  saveMailServerSettings,
  testMailServer,
} from "@/server/services/email/mail-server";
import { mailServerInput } from "@/server/services/email/mail-server-schemas";
import {
  getOutboxMessage,
  listOutbox,
  outboxGetInput,
  outboxListInput,
} from "@/server/services/email/outbox";
import { getCampaignReport } from "@/server/services/email/reports";
import { getCampaignSendReadiness, sendReadinessInput } from "@/server/services/email/send-readiness";
import { addSenderDomainInput, senderDomainIdInput } from "@/server/services/email/sender-domain-schemas";
import {
  addSenderDomain,
  listSenderDomains,
  removeSenderDomain,
  verifySenderDomain,
} from "@/server/services/email/sender-domains";
import { getSenderSettings, senderSettingsSchema } from "@/server/services/email/sender-settings";
import { listTestRecipients, sendTestEmail } from "@/server/services/email/start";
import { patchWorkspaceSettings } from "@/server/services/workspaces/settings-patch";
// Registers the lead-event listener that enrols leads in triggered campaigns (web process).
import "@/server/services/email/triggers";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

const campaignsRouter = createTRPCRouter({
  list: workspaceProcedure("viewer")
    .input(listCampaignsInput)
    .query(({ ctx, input }) => listCampaigns(ctx.db, ctx.workspaceId, input)),
  get: workspaceProcedure("viewer")
    .input(campaignIdInput)
    .query(({ ctx, input }) => getCampaignOrThrow(ctx.db, ctx.workspaceId, input.id)),
  report: workspaceProcedure("viewer")
    .input(reportInput)
    .query(({ ctx, input }) => getCampaignReport(ctx.db, ctx.workspaceId, input)),
  mergeFields: workspaceProcedure("viewer").query(({ ctx }) => listMergeFields(ctx.db, ctx.workspaceId)),
  preview: workspaceProcedure("viewer")
    .input(previewInput)
    .query(({ ctx, input }) => previewCampaignEmail(ctx.db, ctx.workspaceId, input, ctx.baseUrl)),
  audienceSize: workspaceProcedure("viewer")
    .input(audienceSizeInput)
    .query(({ ctx, input }) => previewAudience(ctx.db, ctx.workspaceId, input.audience)),
  create: workspaceProcedure("member")
    .input(createCampaignInput)
    .mutation(({ ctx, input }) => createCampaign(ctx.ws, input)),
  update: workspaceProcedure("member")
    .input(updateCampaignInput)
    .mutation(({ ctx, input }) => updateCampaign(ctx.ws, input)),
  delete: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => deleteCampaign(ctx.ws, input)),
  duplicate: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => duplicateCampaign(ctx.ws, input)),
  sendNow: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => sendCampaignNow(ctx.ws, input)),
  schedule: workspaceProcedure("member")
    .input(scheduleCampaignInput)
    .mutation(({ ctx, input }) => scheduleCampaign(ctx.ws, input)),
  unschedule: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => unscheduleCampaign(ctx.ws, input)),
  activate: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => activateCampaign(ctx.ws, input)),
  pause: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => pauseCampaign(ctx.ws, input)),
  resume: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => resumeCampaign(ctx.ws, input)),
  cancel: workspaceProcedure("member")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => cancelCampaign(ctx.ws, input)),
  /** Members' addresses the send-test dialog offers (and whether each may receive a test now). */
  testRecipients: workspaceProcedure("member").query(({ ctx }) =>
    listTestRecipients(ctx.db, ctx.workspaceId, ctx.user.id),
  ),
  sendTest: workspaceProcedure("member")
    .input(sendTestInput)
    .mutation(({ ctx, input }) =>
      sendTestEmail(ctx.ws, { campaignId: input.campaignId, step: input.step, to: input.to }),
    ),
});

const senderRouter = createTRPCRouter({
  get: workspaceProcedure("viewer").query(({ ctx }) => getSenderSettings(ctx.db, ctx.workspaceId)),
  update: workspaceProcedure("admin")
    .input(senderSettingsSchema)
    .mutation(async ({ ctx, input }) => {
      // The same rule as REST's PATCH /workspace: here every sender field is given.
      const { workspaceId: _w, ...sender } = input as typeof input & { workspaceId: string };
      return (await patchWorkspaceSettings(ctx.ws, sender)).sender;
    }),
  /** Domain, selector and the DNS record to publish; the private key is never returned. */
  dkim: workspaceProcedure("viewer").query(({ ctx }) => getDkimSettings(ctx.db, ctx.workspaceId)),
  updateDkim: workspaceProcedure("admin")
    .input(dkimSettingsInput)
    .mutation(({ ctx, input }) => updateDkimSettings(ctx.ws, input)),
  removeDkim: workspaceProcedure("admin").mutation(({ ctx }) => removeDkimSettings(ctx.ws)),
  /** Whether campaigns can be sent now (transport, From domain, APP_URL) and why not. */
  readiness: workspaceProcedure("viewer")
    .input(sendReadinessInput)
    .query(({ ctx, input }) => getCampaignSendReadiness(ctx.db, ctx.workspaceId, input.campaignId)),
  /** How mail leaves (operator default, own SMTP, Gmail); the password is never returned. */
  mailServer: workspaceProcedure("viewer").query(({ ctx }) => getMailServerSettings(ctx.db, ctx.workspaceId)),
  updateMailServer: workspaceProcedure("admin")
    .input(mailServerInput)
    .mutation(({ ctx, input }) => saveMailServerSettings(ctx.ws, input)),
  /** Connects with the entered settings and sends a test message to the caller's own address. */
  testMailServer: workspaceProcedure("admin")
    .input(mailServerInput)
    .mutation(({ ctx, input }) => testMailServer(ctx.ws, { to: ctx.user.email, settings: input })),
  /** Domains campaigns may come from, each with the DNS TXT record that proves it. */
  domains: workspaceProcedure("viewer").query(({ ctx }) => listSenderDomains(ctx.db, ctx.workspaceId)),
  addDomain: workspaceProcedure("admin")
    .input(addSenderDomainInput)
    .mutation(({ ctx, input }) => addSenderDomain(ctx.ws, input)),
  verifyDomain: workspaceProcedure("admin")
    .input(senderDomainIdInput)
    .mutation(({ ctx, input }) => verifySenderDomain(ctx.ws, input)),
  removeDomain: workspaceProcedure("admin")
    .input(senderDomainIdInput)
    .mutation(({ ctx, input }) => removeSenderDomain(ctx.ws, input)),
});

/**
 * What was kept instead of sent (no SMTP configured): every message with its full headers, secret
 * links redacted. Admins only: it is other people's mail.
 */
const outboxRouter = createTRPCRouter({
  list: workspaceProcedure("admin")
    .input(outboxListInput)
    .query(({ ctx, input }) => listOutbox(ctx.db, ctx.workspaceId, input)),
  get: workspaceProcedure("admin")
    .input(outboxGetInput)
    .query(({ ctx, input }) => getOutboxMessage(ctx.db, ctx.workspaceId, input.id)),
});

export const emailRouter = createTRPCRouter({
  campaigns: campaignsRouter,
  sender: senderRouter,
  outbox: outboxRouter,
});

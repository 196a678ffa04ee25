import "server-only";
import { senderDomainIdInput } from "@/server/services/email/sender-domain-schemas";
import { rotateSenderDomainDkim } from "@/server/services/email/sender-domains";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/**
 * Sender domains' DKIM keys. The list, add, check ("verifyDomain") and remove stay under
 * email.sender; this router holds what came with per-domain keys.
 */
export const senderDomainsRouter = createTRPCRouter({
  /** A new key and selector for the domain; the private half is sealed and never returned. */
  rotateDkim: workspaceProcedure("admin")
    .input(senderDomainIdInput)
    .mutation(({ ctx, input }) => rotateSenderDomainDkim(ctx.ws, input)),
});

import "server-only";
import {
  regeneratePostmarkCredentials,
  saveEmailWebhooks,
  viewEmailWebhooks,
} from "@/server/services/email/webhooks/config";
import { saveEmailWebhooksInput } from "@/server/services/email/webhooks/schemas";
import { createTRPCRouter } from "../trpc";
import { instanceAdminProcedure } from "./instance";

/** Bounce/complaint webhooks of the operator's email providers (Settings → Instance): instance admins only. */
export const emailWebhooksRouter = createTRPCRouter({
  /** Webhook addresses, the Postmark credentials we generated, what is set up. */
  get: instanceAdminProcedure.query(({ ctx }) => viewEmailWebhooks(ctx.db)),
  save: instanceAdminProcedure
    .input(saveEmailWebhooksInput)
    .mutation(({ ctx, input }) => saveEmailWebhooks({ db: ctx.db, actor: ctx.actor }, input)),
  regeneratePostmark: instanceAdminProcedure.mutation(({ ctx }) =>
    regeneratePostmarkCredentials({ db: ctx.db, actor: ctx.actor }),
  ),
});

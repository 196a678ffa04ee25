import "server-only";
import { getOnboardingChecklist, hideOnboardingChecklist } from "@/server/services/onboarding/checklist";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** The Overview's getting-started checklist, each step read from the workspace's own rows. */
export const onboardingRouter = createTRPCRouter({
  checklist: workspaceProcedure("viewer").query(({ ctx }) => getOnboardingChecklist(ctx.db, ctx.workspaceId)),
  hide: workspaceProcedure("admin").mutation(({ ctx }) => hideOnboardingChecklist(ctx.ws)),
});

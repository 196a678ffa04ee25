import { z } from "zod";
import { systemActor } from "@/server/services/context";
import { emailSchema } from "@/server/services/workspaces/schemas";
import { described } from "../catalog";
import { defineCommand, requiredFlag, withDb } from "../util";

export default defineCommand({
  ...described("verify-email"),
  options: { email: { type: "string" } },
  schema: z.object({ email: requiredFlag("email").pipe(emailSchema) }),
  async run({ email }) {
    return withDb(async ({ db }) => {
      const { markEmailVerified } = await import("@/server/services/users");
      const user = await markEmailVerified({ db, actor: systemActor }, email);
      return {
        json: { id: user.id, email: user.email, emailVerified: true, changed: user.changed },
        human: user.changed
          ? `Marked ${user.email} as verified: they can now accept invitations sent to it.`
          : `${user.email} was already verified.`,
      };
    });
  },
});

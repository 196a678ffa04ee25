import { z } from "zod";
import { emailSchema } from "@/server/services/workspaces/schemas";
import { described } from "../catalog";
import { defineCommand, requiredFlag, withDb } from "../util";

export default defineCommand({
  ...described("instance-admin"),
  options: { email: { type: "string" }, revoke: { type: "boolean" } },
  schema: z.object({ email: requiredFlag("email").pipe(emailSchema), revoke: z.boolean().optional() }),
  async run({ email, revoke }) {
    return withDb(async ({ db }) => {
      const { setInstanceAdmin } = await import("@/server/services/instance/admins");
      const user = await setInstanceAdmin(db, { email, admin: !revoke });
      return {
        json: user,
        human: revoke
          ? `${user.email} is no longer an instance admin.`
          : `${user.email} is an instance admin: Settings → Instance shows them the app credentials.`,
      };
    });
  },
});

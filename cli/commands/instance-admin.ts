import { z } from "zod";
import { setInstanceAdmin } from "@/server/services/instance/admins";
import { emailSchema } from "@/server/services/workspaces";
import { defineCommand, requiredFlag, withDb } from "../util";

export default defineCommand({
  name: "instance-admin",
  summary: "Let a user manage this install's app credentials (Settings → Instance), or with --revoke stop",
  usage: "--email <email> [--revoke]",
  options: { email: { type: "string" }, revoke: { type: "boolean" } },
  schema: z.object({ email: requiredFlag("email").pipe(emailSchema), revoke: z.boolean().optional() }),
  async run({ email, revoke }) {
    return withDb(async ({ db }) => {
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

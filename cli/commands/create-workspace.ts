import { z } from "zod";
import { NotFoundError } from "@/server/errors";
import { systemActor } from "@/server/services/context";
import { emailSchema, slugSchema, workspaceNameSchema } from "@/server/services/workspaces/schemas";
import { described } from "../catalog";
import { defineCommand, findUserByEmail, requiredFlag, withDb } from "../util";

export default defineCommand({
  ...described("create-workspace"),
  options: { owner: { type: "string" }, name: { type: "string" }, slug: { type: "string" } },
  schema: z.object({
    owner: requiredFlag("owner").pipe(emailSchema),
    name: requiredFlag("name").pipe(workspaceNameSchema),
    slug: slugSchema.optional(),
  }),
  async run({ owner, name, slug }) {
    return withDb(async ({ db }) => {
      const user = await findUserByEmail(db, owner);
      if (!user) throw new NotFoundError(`No user with email ${owner}. Create one first with create-user.`);
      const { createWorkspace } = await import("@/server/services/workspaces");
      const ws = await createWorkspace({ db, actor: systemActor, ownerId: user.id }, { name, slug });
      return {
        json: { id: ws.id, slug: ws.slug, name: ws.name },
        human: `Created workspace "${ws.name}" (slug ${ws.slug}, id ${ws.id}) owned by ${user.email}.`,
      };
    });
  },
});

import { z } from "zod";
import { described } from "../catalog";
import { defineCommand, describeDatabase, requiredFlag } from "../util";

export default defineCommand({
  ...described("restore"),
  options: { in: { type: "string" }, force: { type: "boolean" } },
  schema: z.object({
    in: requiredFlag("in").min(1, "--in needs a file name"),
    force: z.boolean().default(false),
  }),
  async run({ in: input, force }) {
    const { env } = await import("@/lib/env");
    const { openDb } = await import("@/server/db");
    const { restoreDatabase, migrateRestored } = await import("@/server/ops/backup");
    const { closeRedis } = await import("@/lib/redis");
    try {
      const handle = await openDb();
      const where = await describeDatabase(handle);
      const { format, replaced } = await restoreDatabase(handle, env().DATABASE_URL, input, { force, where });
      // A backup of an older version is brought up to this version's schema, as the app would at start.
      await migrateRestored();
      return {
        json: { ok: true, format, database: where, replaced },
        human:
          `Restored ${input} into ${where} (${format} format) and applied this version's migrations.` +
          (replaced.workspaces || replaced.users
            ? ` It replaced ${replaced.workspaces} workspace(s) and ${replaced.users} user(s).`
            : ""),
      };
    } finally {
      await closeRedis();
    }
  },
});

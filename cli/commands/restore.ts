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
    const { dataDir, env } = await import("@/lib/env");
    const { openDb } = await import("@/server/db");
    const { migrateRestored, noEmbeddedDatabaseYet, restoreDatabase, restoreIntoNewEmbedded } = await import(
      "@/server/ops/backup"
    );
    const { closeRedis } = await import("@/lib/redis");
    try {
      const url = env().DATABASE_URL;
      let where: string;
      let restored: Awaited<ReturnType<typeof restoreDatabase>>;
      if (noEmbeddedDatabaseYet(url)) {
        where = `embedded PGlite in ${dataDir()}`;
        restored = await restoreIntoNewEmbedded(input);
      } else {
        const handle = await openDb();
        where = await describeDatabase(handle);
        restored = await restoreDatabase(handle, url, input, { force, where });
      }
      const { format, replaced } = restored;
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

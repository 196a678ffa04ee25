import { z } from "zod";
import { described } from "../catalog";
import { defineCommand, describeDatabase, requiredFlag, withDb } from "../util";

export default defineCommand({
  ...described("backup"),
  options: { out: { type: "string" } },
  schema: z.object({ out: requiredFlag("out").min(1, "--out needs a file name") }),
  async run({ out }) {
    const { env } = await import("@/lib/env");
    const { backupDatabase } = await import("@/server/ops/backup");
    return withDb(
      async (handle) => {
        const where = await describeDatabase(handle);
        const result = await backupDatabase(handle, env().DATABASE_URL, out);
        return {
          json: { ok: true, ...result, database: where },
          human: `Backed up ${where} to ${result.file} (${result.format} format, ${result.bytes} bytes).`,
        };
      },
      { migrate: false },
    );
  },
});

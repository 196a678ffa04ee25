import { z } from "zod";
import { described } from "../catalog";
import { defineCommand, describeDatabase, withDb } from "../util";

export default defineCommand({
  ...described("migrate"),
  options: {},
  schema: z.object({}),
  async run() {
    return withDb(
      async (handle) => {
        await handle.migrate();
        const where = await describeDatabase(handle);
        return {
          json: {
            ok: true,
            database: handle.kind === "postgres" ? "postgres" : "pglite",
            kind: handle.kind,
            where,
          },
          human: `Migrations are up to date (${where}).`,
        };
      },
      { migrate: false },
    );
  },
});

import { z } from "zod";
import { defineCommand, describeDatabase, withDb } from "../util";

export default defineCommand({
  name: "migrate",
  summary: "Apply the committed database migrations",
  usage: "",
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

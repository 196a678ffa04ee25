import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executePrepared, preparedStatementsRefused, resetPreparedStatements } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import { integrations } from "@/server/db/schema";
import { getIntegrationRow } from "@/server/integrations/store";
import { systemActor } from "@/server/services/context";
import { createWorkspace } from "@/server/services/workspaces";
import { withDatabase } from "../helpers/cli-process";
import { createUser } from "../helpers/fixtures";
import { scratchDatabase } from "../helpers/scratch-db";

/*
 * The publish path's hot statements go out as named prepared statements on node-postgres
 * (server/db/prepared.ts): prepared once per connection, then only bound and run. PostgreSQL only
 * (PGlite runs every statement unnamed); through PgBouncer see pgbouncer.test.ts.
 */

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.warn("[prepared-statements.test] skipped: needs DATABASE_URL (PostgreSQL)");

describe.skipIf(!baseUrl)("prepared statements on PostgreSQL", () => {
  const scratch = scratchDatabase("prep");
  beforeAll(() => scratch.create());
  afterAll(() => scratch.drop());

  const prepared = (h: { db: Parameters<typeof executePrepared>[0] }) =>
    h.db
      .execute(sql`select name, statement from pg_prepared_statements`)
      .then((r) => rowsOf<{ name: string; statement: string }>(r));

  it("prepares a statement once per connection and runs it by name after", async () => {
    resetPreparedStatements();
    await withDatabase({ DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: "1" }, async (h) => {
      const q = (n: number) => sql`select ${n}::int + 1 as n`;
      for (const n of [1, 2, 3]) {
        const [row] = rowsOf<{ n: number }>(await executePrepared(h.db, q(n)));
        expect(row!.n).toBe(n + 1);
      }
      // One connection (pool of 1): the statement was prepared on it, once, under its hash name.
      const mine = (await prepared(h)).filter((p) => p.statement.includes("::int + 1 as n"));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.name).toMatch(/^organic_[\w-]{22}$/);
      expect(preparedStatementsRefused()).toBe(false);
    });
  });

  it("DATABASE_PREPARED_STATEMENTS=false sends them unnamed", async () => {
    await withDatabase(
      { DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: "1", DATABASE_PREPARED_STATEMENTS: "false" },
      async (h) => {
        const [row] = rowsOf<{ n: number }>(await executePrepared(h.db, sql`select 41::int + 1 as n`));
        expect(row!.n).toBe(42);
        expect(await prepared(h)).toEqual([]);
      },
    );
  });

  it("a column added while a prepared read is in use changes nothing for it", async () => {
    await withDatabase({ DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: "1" }, async (h) => {
      const owner = await createUser(h.db);
      const ws = await createWorkspace({ db: h.db, actor: systemActor, ownerId: owner.id }, { name: "Prep" });
      await h.db.insert(integrations).values({ workspaceId: ws.id, provider: "tiktok", status: "connected" });
      expect((await getIntegrationRow(h.db, ws.id, "tiktok"))?.status).toBe("connected");
      expect((await prepared(h)).some((p) => p.statement.includes('from "integrations"'))).toBe(true);
      // A later migration adds a column while this process runs its older code.
      await h.db.execute(sql`alter table integrations add column added_later text`);
      expect((await getIntegrationRow(h.db, ws.id, "tiktok"))?.status).toBe("connected");
    });
  });
});

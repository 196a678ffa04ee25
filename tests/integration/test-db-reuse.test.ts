import { count, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { domainEvents, workspaces } from "@/server/db/schema";
import { memoryTestDb, usingPostgres } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/*
 * Test files on PGlite reuse a worker's in-memory databases (tests/helpers/db.ts): a file must
 * still start from the migrated template, with nothing another file left behind.
 */
describe.skipIf(usingPostgres)("in-memory test databases, reused between files", () => {
  it("come back empty, with identities restarted, and the old handle refuses every call", async () => {
    const first = await memoryTestDb();
    const f = await twoWorkspaces(first.db);
    await first.db.insert(domainEvents).values({ workspaceId: f.ws.id, type: "lead.created", payload: {} });
    await first.db.execute(sql`begin`); // a file that ends inside a transaction
    const firstClient = first.pglite!;
    await first.close();
    await first.close(); // the per-file reset may close it again

    const second = await memoryTestDb();
    try {
      expect(() => firstClient.query("select 1")).toThrow(/test file that opened it has ended/);
      await expect(first.db.select({ n: count() }).from(workspaces)).rejects.toHaveProperty(
        "cause.message",
        expect.stringMatching(/has ended/),
      );
      expect(await second.db.select({ n: count() }).from(workspaces)).toEqual([{ n: 0 }]);
      const g = await twoWorkspaces(second.db);
      const [event] = await second.db
        .insert(domainEvents)
        .values({ workspaceId: g.ws.id, type: "lead.created", payload: {} })
        .returning({ id: domainEvents.id });
      expect(event!.id).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("are closed, not reused, after a file changed the schema", async () => {
    const first = await memoryTestDb();
    await first.pglite!.exec("create table stray (x int)");
    await first.close();
    const second = await memoryTestDb();
    try {
      const { rows } = await second.pglite!.query(`select to_regclass('public.stray') as t`);
      expect(rows).toEqual([{ t: null }]);
    } finally {
      await second.close();
    }
  });
});

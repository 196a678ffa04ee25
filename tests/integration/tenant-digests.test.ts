import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { leads } from "@/server/db/schema";
import { setupTestDb, usingPostgres } from "../helpers/db";
import { createUser, createWorkspace, uniqueEmail } from "../helpers/fixtures";
import { tenantDigests } from "../helpers/tenant-fixture";

// The shortcut the hostile-input files rely on (tests/helpers/tenant-fixture.ts): a digest is reused
// only while no transaction has written. On PostgreSQL transaction ids are the server's, and other
// files write meanwhile: there only "taken again" can be relied on, not "reused".
const h = await setupTestDb();
const reused = (next: unknown, last: unknown) => {
  if (usingPostgres) expect(next).toEqual(last);
  else expect(next).toBe(last);
};

describe("tenantDigests", () => {
  it("reuses the digest while nothing was written, and sees every write since, even one rolled back", async () => {
    const owner = await createUser(h.db);
    const a = await createWorkspace(h.db, owner);
    const b = await createWorkspace(h.db, owner);
    const digest = tenantDigests(h.db, a.id);

    const first = await digest();
    // Reads take no transaction id: the same digest, not taken again.
    await h.db.select().from(leads);
    reused(await digest(), first);

    // A write to A: taken again, and the leads' entry differs.
    await h.db.insert(leads).values({ workspaceId: a.id, email: uniqueEmail("digest") });
    const second = await digest();
    expect(second).not.toBe(first);
    expect(second.leads).not.toBe(first.leads);

    // A write elsewhere (workspace B): taken again, A's digest the same values.
    await h.db.insert(leads).values({ workspaceId: b.id, email: uniqueEmail("digest-b") });
    const third = await digest();
    expect(third).not.toBe(second);
    expect(third).toEqual(second);

    // A transaction that wrote and rolled back still took an id: taken again (and equal).
    await expect(
      h.db.transaction(async (tx) => {
        await tx.insert(leads).values({ workspaceId: a.id, email: uniqueEmail("digest-rb") });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const fourth = await digest();
    expect(fourth).not.toBe(third);
    expect(fourth).toEqual(third);

    // An update with no row matched takes no id: nothing changed, the digest is reused.
    await h.db.execute(sql`update leads set name = 'x' where false`);
    reused(await digest(), fourth);
  });
});

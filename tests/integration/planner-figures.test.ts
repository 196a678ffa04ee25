import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { refreshStalePlannerFigures } from "@/server/db/planner-figures";
import { rowsOf } from "@/server/db/raw-rows";
import { emailSuppressions } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 19's send benchmark: a campaign started right after 10,000 suppressions were added took
 * 380 s to resolve its 100k-lead audience, because the planner still believed the list empty and
 * compared every lead with every entry. Audiences and imports now refresh stale figures first.
 */
const h = await setupTestDb();
let workspaceId: string;

async function recordedRows(table: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await h.db.execute(sql`select reltuples::float8 as n from pg_class where relname = ${table}
      and relnamespace = current_schema()::regnamespace`),
  );
  return Number(row?.n);
}

async function actualRows(): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await h.db.execute(sql`select count(*)::int as n from email_suppressions`),
  );
  return Number(row?.n);
}

async function addSuppressions(from: number, count: number) {
  await h.db.insert(emailSuppressions).values(
    Array.from({ length: count }, (_, i) => ({
      workspaceId,
      kind: "address" as const,
      value: `gone${from + i}@figures.test`,
      reason: "imported" as const,
    })),
  );
}

beforeAll(async () => {
  workspaceId = (await twoWorkspaces(h.db)).ws.id;
  await h.db.execute(sql`analyze email_suppressions`);
  // At least double the table (other files' rows may be in it on a shared PostgreSQL database).
  const adding = Math.max(3000, Math.ceil((await actualRows()) / 500) * 500);
  for (let i = 0; i < adding; i += 500) await addSuppressions(i, 500);
});

describe("planner figures", () => {
  it("analyses a table that grew far past its figures", async () => {
    // Other test files may share the database (and this table) on PostgreSQL: compare with the count.
    expect(await recordedRows("email_suppressions")).toBeLessThanOrEqual((await actualRows()) / 2);
    await refreshStalePlannerFigures(h.db, ["email_suppressions", "leads"]);
    const refreshed = await recordedRows("email_suppressions");
    expect(refreshed).toBeGreaterThanOrEqual(3000);
    expect(refreshed).toBeGreaterThan((await actualRows()) * 0.9);
  });
});

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
  for (let i = 0; i < 3000; i += 500) await addSuppressions(i, 500);
});

describe("planner figures", () => {
  it("analyses a table that grew far past its figures, and leaves a fresh one alone", async () => {
    expect(await recordedRows("email_suppressions")).toBeLessThan(100);
    await refreshStalePlannerFigures(h.db, ["email_suppressions", "leads"]);
    expect(await recordedRows("email_suppressions")).toBe(3000);

    await addSuppressions(3000, 10);
    await refreshStalePlannerFigures(h.db, ["email_suppressions"]);
    expect(await recordedRows("email_suppressions")).toBe(3000);
  });
});

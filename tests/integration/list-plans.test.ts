import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/server/db/raw-rows";
import { leads } from "@/server/db/schema";
import { encodeCursor, leadFilterWhere, leadsPageQuery } from "@/server/services/leads/leads";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 16, point 1: a page of a list must be read from an index in order, never by sorting every
 * lead of the workspace (which grows with the list: 1M leads). With sorting switched off, a plan that
 * still needs a Sort node shows that no index gives the order.
 */
const h = await setupTestDb();
let workspaceId: string;

beforeAll(async () => {
  const f = await twoWorkspaces(h.db);
  workspaceId = f.ws.id;
  await h.db
    .insert(leads)
    .values(Array.from({ length: 300 }, (_, i) => ({ workspaceId, email: `plan${i}@plans.test` })));
  await h.db.execute(sql`analyze leads`);
});

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function planOf(page: Parameters<typeof leadsPageQuery>[2]): Promise<PlanNode[]> {
  return h.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_sort = off`);
    await tx.execute(sql`set local enable_seqscan = off`);
    const where = await leadFilterWhere(tx, workspaceId, {});
    const result = await tx.execute(sql`explain (format json) ${leadsPageQuery(tx, where, page)}`);
    const [row] = rowsOf<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(result);
    const json = row!["QUERY PLAN"];
    const parsed = typeof json === "string" ? (JSON.parse(json) as [{ Plan: PlanNode }]) : json;
    return nodes(parsed[0].Plan);
  });
}

describe("leads list pages are read in index order", () => {
  const cursor = encodeCursor({ v: "2030-01-01 00:00:00+00", id: "ffffffff-ffff-4fff-bfff-ffffffffffff" });
  for (const [name, page] of [
    ["newest first", { limit: 20, sort: "createdAt", order: "desc" }],
    ["newest first, a later page", { limit: 20, sort: "createdAt", order: "desc", cursor }],
    ["oldest first", { limit: 20, sort: "createdAt", order: "asc" }],
    ["by email", { limit: 20, sort: "email", order: "asc" }],
    ["by email, descending", { limit: 20, sort: "email", order: "desc" }],
  ] as const) {
    it(name, async () => {
      const plan = await planOf(page);
      expect(plan.map((n) => n["Node Type"])).not.toContain("Sort");
      expect(plan.some((n) => n["Index Name"])).toBe(true);
    });
  }
});

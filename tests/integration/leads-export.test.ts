import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { csvSafe } from "@/lib/csv-safe";
import { activityLogs, customFieldDefinitions, leads } from "@/server/db/schema";
import type { WorkspaceServiceContext } from "@/server/services/context";
import { exportFileName, exportLeadsCsv, filtersFromSearchParams } from "@/server/services/leads/export";
import { leadFiltersSchema } from "@/server/services/leads/schemas";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let ctx: WorkspaceServiceContext;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  ctx = { db: h.db, workspaceId: f.ws.id, actor: { userId: f.member.id, ip: null, userAgent: "vitest" } };
  // one by one: columns follow the order the fields were created in
  await h.db
    .insert(customFieldDefinitions)
    .values({ workspaceId: f.ws.id, key: "plan", label: "Plan", type: "text" });
  await h.db
    .insert(customFieldDefinitions)
    .values({ workspaceId: f.ws.id, key: "orders", label: "Orders", type: "number" });
  const same = new Date("2026-03-01T10:00:00Z");
  await h.db.insert(leads).values([
    ...Array.from({ length: 25 }, (_, i) => ({
      workspaceId: f.ws.id,
      email: `bulk${String(i).padStart(2, "0")}@x.test`,
      tags: ["bulk"],
      createdAt: same,
    })),
    {
      workspaceId: f.ws.id,
      email: "evil@x.test",
      name: '=HYPERLINK("http://evil")',
      source: "+cmd",
      tags: ["vip", "@home"],
      customFields: { plan: "-1+1", orders: 3 },
    },
    { workspaceId: f.ws.id, email: "plain@x.test", name: 'Plain, "Quoted"\nName', tags: ["vip"] },
    { workspaceId: f.other.id, email: "foreign@x.test", tags: ["vip"] },
  ]);
});

async function collect(filters: Record<string, unknown>, batchSize?: number) {
  let out = "";
  let chunks = 0;
  for await (const chunk of exportLeadsCsv(ctx, leadFiltersSchema.parse(filters), { batchSize })) {
    out += chunk;
    chunks++;
  }
  return { rows: parse(out) as string[][], chunks };
}

describe("exportLeadsCsv", () => {
  it("writes the header and one column per custom field, in keyset batches, only this workspace", async () => {
    const { rows, chunks } = await collect({}, 10);
    expect(rows[0]).toEqual(["email", "name", "status", "source", "tags", "created_at", "plan", "orders"]);
    const emails = rows.slice(1).map((r) => r[0]);
    expect(emails).toHaveLength(27);
    expect(new Set(emails).size).toBe(27);
    expect(emails).not.toContain("foreign@x.test");
    expect(chunks).toBe(1 + 3); // header + 27 rows in batches of 10
    const plain = rows.find((r) => r[0] === "plain@x.test")!;
    expect(plain[1]).toBe('Plain, "Quoted"\nName');
  });

  it("neutralises formulas and joins tags with semicolons", async () => {
    const { rows } = await collect({ tags: ["vip"] });
    expect(rows).toHaveLength(3);
    const evil = rows.find((r) => r[0] === "evil@x.test")!;
    expect(evil).toEqual([
      "evil@x.test",
      '\'=HYPERLINK("http://evil")',
      "active",
      "'+cmd",
      "vip;@home",
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      "'-1+1",
      "3",
    ]);
    expect(csvSafe("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvSafe("safe")).toBe("safe");
  });

  it("applies the list filters and a selection, and records lead.exported with the count", async () => {
    const { rows } = await collect({ search: "bulk0" });
    expect(rows.slice(1).map((r) => r[0])).toHaveLength(10);
    const [evil] = await h.db.select().from(leads).where(eq(leads.email, "evil@x.test"));
    const [foreign] = await h.db.select().from(leads).where(eq(leads.email, "foreign@x.test"));
    const sel = await collect({ ids: [evil!.id, foreign!.id] });
    expect(sel.rows.slice(1).map((r) => r[0])).toEqual(["evil@x.test"]);
    const logs = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.action, "lead.exported")));
    expect(logs.map((l) => l.metadata)).toEqual(
      expect.arrayContaining([
        { filters: { search: "bulk0" }, rows: 10 },
        { filters: { selected: 2 }, rows: 1 },
      ]),
    );
  });

  it("reads filters from a query string and names the file", () => {
    const params = new URLSearchParams(
      "workspaceId=x&search=ann&tags=a&tags=b,c&status=active&customKey=plan&customValue=pro",
    );
    expect(leadFiltersSchema.parse(filtersFromSearchParams(params))).toEqual({
      search: "ann",
      tags: ["a", "b", "c"],
      status: "active",
      custom: { key: "plan", value: "pro" },
    });
    expect(
      leadFiltersSchema.safeParse(filtersFromSearchParams(new URLSearchParams("status=nope"))).success,
    ).toBe(false);
    expect(exportFileName("acme", new Date("2026-05-04T12:00:00Z"))).toBe("leads-acme-2026-05-04.csv");
  });
});

import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLogs, leads } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

// "Select all N matching": bulk actions applied on the server by filter — issue 15, point 12.
const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

async function insertLeads(
  workspaceId: string,
  n: number,
  r: Partial<typeof leads.$inferInsert>,
  prefix: string,
) {
  return h.db
    .insert(leads)
    .values(Array.from({ length: n }, (_, i) => ({ workspaceId, email: `${prefix}${i}@bulk.test`, ...r })))
    .returning();
}

async function rows(workspaceId: string) {
  return h.db.select().from(leads).where(eq(leads.workspaceId, workspaceId));
}

describe("leads.bulk by filter", () => {
  it("applies to a segment of this workspace", async () => {
    await insertLeads(f.ws.id, 3, { source: "seg" }, "seg");
    const c = callerFor(h.db, f.member);
    const seg = await callerFor(h.db, f.owner).segments.create({
      workspaceId: f.ws.id,
      name: "Seg source",
      criteria: { match: "all", conditions: [{ field: "source", op: "is", value: "seg" }] },
    });
    expect(
      await c.leads.bulk({
        workspaceId: f.ws.id,
        filter: { segmentId: seg.id },
        action: "addTag",
        tag: "in-seg",
      }),
    ).toEqual({ requested: 3, matched: 3, changed: 3 });
    expect((await rows(f.ws.id)).filter((l) => l.tags.includes("in-seg")).map((l) => l.source)).toEqual([
      "seg",
      "seg",
      "seg",
    ]);
  });

  it("tags exactly the leads matching the filter in this workspace, beyond 500 and the loaded page", async () => {
    await insertLeads(f.ws.id, 620, { source: "fair", tags: ["visitor"] }, "fair");
    await insertLeads(f.ws.id, 30, { source: "web", tags: ["visitor"] }, "web");
    await insertLeads(f.ws.id, 5, { source: "fair", status: "unsubscribed", tags: ["visitor"] }, "unsub");
    // The same filter matches leads of the other workspace: they must not change.
    await insertLeads(f.other.id, 40, { source: "fair", tags: ["visitor"] }, "theirs");
    const c = callerFor(h.db, f.member);
    const filter = { source: "fair", status: "active" as const, tags: ["visitor"] };
    expect(await c.leads.count({ workspaceId: f.ws.id, ...filter })).toBe(620);

    expect(await c.leads.bulk({ workspaceId: f.ws.id, filter, action: "addTag", tag: "fair-2026" })).toEqual({
      requested: 620,
      matched: 620,
      changed: 620,
    });
    const mine = await rows(f.ws.id);
    const tagged = mine.filter((l) => l.tags.includes("fair-2026"));
    expect(tagged).toHaveLength(620);
    expect(tagged.every((l) => l.source === "fair" && l.status === "active")).toBe(true);
    expect((await rows(f.other.id)).some((l) => l.tags.includes("fair-2026"))).toBe(false);

    expect(
      await c.leads.bulk({
        workspaceId: f.ws.id,
        filter: { search: "web1@" },
        action: "removeTag",
        tag: "visitor",
      }),
    ).toMatchObject({ matched: 1, changed: 1 });
    // This workspace has other bulk-tag entries (other tests): this one is found by its tag.
    const logs = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.action, "lead.bulk_tagged")));
    const log = logs.find((l) => (l.metadata as { tag?: string } | null)?.tag === "fair-2026");
    expect(log?.metadata).toMatchObject({ byFilter: true, changed: 620 });
  });

  it("deletes by filter only with the confirmed count, and only in this workspace", async () => {
    const c = callerFor(h.db, f.member);
    const filter = { source: "web" };
    const before = (await rows(f.ws.id)).length;
    const theirs = (await rows(f.other.id)).length;
    // No count confirmed: refused before anything happens.
    await expect(c.leads.bulk({ workspaceId: f.ws.id, filter, action: "delete" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // A count that no longer holds: CONFLICT, rolled back.
    await expect(
      c.leads.bulk({ workspaceId: f.ws.id, filter, action: "delete", expected: 29 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await rows(f.ws.id)).length).toBe(before);

    expect(await c.leads.bulk({ workspaceId: f.ws.id, filter, action: "delete", expected: 30 })).toEqual({
      requested: 30,
      matched: 30,
      changed: 30,
    });
    const left = await rows(f.ws.id);
    expect(left.length).toBe(before - 30);
    expect(left.some((l) => l.source === "web")).toBe(false);
    expect((await rows(f.other.id)).length).toBe(theirs);
  });

  it("refuses bad input, viewers and other workspaces, changing nothing", async () => {
    const c = callerFor(h.db, f.member);
    // Both workspaces this file made (on a shared database other files add leads meanwhile).
    const snapshot = async () =>
      (
        await h.db
          .select({ n: sql<number>`count(*)::int`, tags: sql<number>`sum(cardinality(${leads.tags}))::int` })
          .from(leads)
          .where(inArray(leads.workspaceId, [f.ws.id, f.other.id]))
      )[0];
    const before = await snapshot();
    const some = (await rows(f.ws.id)).slice(0, 2).map((l) => l.id);
    const bad = [
      { filter: { source: "fair" }, ids: some, action: "addTag", tag: "x" },
      { action: "addTag", tag: "x" },
      { filter: { source: "fair" }, action: "addTag" },
      { filter: { status: "nope" }, action: "addTag", tag: "x" },
      { filter: { segmentId: "not-a-uuid" }, action: "addTag", tag: "x" },
      { filter: { source: "fair" }, action: "delete", expected: -1 },
    ];
    for (const input of bad) {
      await expect(
        c.leads.bulk({ workspaceId: f.ws.id, ...(input as { action: "addTag" }) }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    // A segment of another workspace is not found here.
    const seg = await callerFor(h.db, f.otherOwner).segments.create({
      workspaceId: f.other.id,
      name: "Theirs",
      criteria: { match: "all", conditions: [{ field: "source", op: "is", value: "fair" }] },
    });
    await expect(
      c.leads.bulk({ workspaceId: f.ws.id, filter: { segmentId: seg.id }, action: "addTag", tag: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.viewer).leads.bulk({
        workspaceId: f.ws.id,
        filter: { source: "fair" },
        action: "addTag",
        tag: "x",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, f.otherOwner).leads.bulk({
        workspaceId: f.ws.id,
        filter: {},
        action: "delete",
        expected: 1,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await snapshot()).toEqual(before);
  });
});

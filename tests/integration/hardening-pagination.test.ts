import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { content, emailCampaigns } from "@/server/db/schema";
import { listContent } from "@/server/services/content/content";
import { call, setupRest } from "./rest-helpers";

/**
 * REST lists page by keyset cursors: rows added while a client pages never shift a page, so every
 * row that existed when paging began is seen exactly once, whatever is inserted in between.
 */
const { h, f, keyA, readA, keyB } = await setupRest();

const ids = (page: { data: { id: string }[] }) => page.data.map((r) => r.id);

async function pageAll(path: string, key: string, between?: (n: number) => Promise<void>) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res: { status: number; body: { data: { id: string }[]; nextCursor: string | null } } = await call(
      "GET",
      `${path}${cursor ? `${sep}cursor=${cursor}` : ""}`,
      { key },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    seen.push(...ids(res.body));
    cursor = res.body.nextCursor;
    pages++;
    if (between && cursor) await between(pages);
  } while (cursor && pages < 50);
  return { seen, pages };
}

describe("REST content list: keyset cursor", () => {
  it("pages through more rows than one page while new rows are added, each old row exactly once", async () => {
    const t0 = Date.now() - 3600_000;
    // 11 rows, three sharing one created_at (ties are broken by id), some with a scheduled time.
    const rows = await h.db
      .insert(content)
      .values(
        Array.from({ length: 11 }, (_, i) => ({
          workspaceId: f.ws.id,
          type: "blog" as const,
          title: `Paged ${String(i).padStart(2, "0")}`,
          createdAt: new Date(t0 + (i < 3 ? 0 : i) * 1000),
          scheduledAt: i % 3 === 0 ? null : new Date(t0 + 86_400_000 + i * 1000),
        })),
      )
      .returning({ id: content.id });
    const before = new Set(rows.map((r) => r.id));
    let added = 0;
    const { seen, pages } = await pageAll("/content?type=blog&limit=4", readA, async () => {
      await h.db.insert(content).values({ workspaceId: f.ws.id, type: "blog", title: `New ${added++}` });
    });
    expect(pages).toBe(3);
    expect(added).toBe(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.has(id)).sort()).toEqual([...before].sort());
    // An offset would have repeated rows here: each insert pushes everything one place down.
    expect(seen.every((id) => before.has(id))).toBe(true);
  });

  it("keeps undated rows last in both directions and sees each row once", async () => {
    const all = await h.db
      .select({ id: content.id, scheduledAt: content.scheduledAt })
      .from(content)
      .where(and(eq(content.workspaceId, f.ws.id), eq(content.type, "blog")));
    for (const direction of ["asc", "desc"]) {
      const { seen } = await pageAll(
        `/content?type=blog&sort=scheduledAt&direction=${direction}&limit=3`,
        readA,
      );
      expect([...seen].sort()).toEqual(all.map((r) => r.id).sort());
      const dated = all.filter((r) => r.scheduledAt).length;
      const when = new Map(all.map((r) => [r.id, r.scheduledAt?.getTime() ?? null]));
      const times = seen.map((id) => when.get(id)!);
      expect(times.slice(dated).every((t) => t === null)).toBe(true);
      const datedTimes = times.slice(0, dated) as number[];
      const sorted = [...datedTimes].sort((a, b) => (direction === "asc" ? a - b : b - a));
      expect(datedTimes).toEqual(sorted);
    }
  });

  it("refuses a forged cursor with 400, and another workspace's key sees none of A's rows", async () => {
    const bad = await call("GET", "/content?cursor=not-a-cursor", { key: readA });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain("application/problem+json");
    const forged = Buffer.from(JSON.stringify(["x", "1"])).toString("base64url");
    expect((await call("GET", `/content?cursor=${forged}`, { key: readA })).status).toBe(400);
    // well-formed JSON whose value would not cast in SQL: still a 400, never a 500
    const uuid = "00000000-0000-4000-8000-000000000000";
    for (const [sort, v] of [
      ["createdAt", "yesterday"],
      ["views", "1e999"],
      ["scheduledAt", "2026-13-45 99:99:99"],
      ["createdAt", "2026-02-30 10:00:00+00"],
      ["createdAt", "0000-01-01 00:00:00+00"],
    ]) {
      const c = Buffer.from(JSON.stringify([v, uuid])).toString("base64url");
      const res = await call("GET", `/content?sort=${sort}&cursor=${c}`, { key: readA });
      expect(res.status, `${sort} ${v}`).toBe(400);
    }
    const { seen } = await pageAll("/content?limit=5", keyB);
    const aIds = new Set(
      (await h.db.select({ id: content.id }).from(content).where(eq(content.workspaceId, f.ws.id))).map(
        (r) => r.id,
      ),
    );
    expect(seen.some((id) => aIds.has(id))).toBe(false);
  });

  it("leaves tRPC's offset paging as it was", async () => {
    const first = await listContent(h.db, f.ws.id, {
      type: "blog",
      sort: "createdAt",
      direction: "desc",
      limit: 5,
      offset: 0,
    });
    const second = await listContent(h.db, f.ws.id, {
      type: "blog",
      sort: "createdAt",
      direction: "desc",
      limit: 5,
      offset: 5,
    });
    expect(first.content).toHaveLength(5);
    expect(first.total).toBeGreaterThan(10);
    expect(second.content.map((c) => c.id)).not.toContain(first.content[0]!.id);
    expect(first.content[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(
      second.content[0]!.createdAt.getTime(),
    );
  });
});

describe("REST campaigns list: keyset cursor beyond 200", () => {
  it("pages through 230 campaigns (more than the app's 200-row list) while new ones are created", async () => {
    const made = await call("POST", "/campaigns", {
      key: keyA,
      body: { type: "one-time", name: "Template", steps: [{ subject: "Hi", body: "Hello" }] },
    });
    expect(made.status).toBe(201);
    const [template] = await h.db.select().from(emailCampaigns).where(eq(emailCampaigns.id, made.body.id));
    const t0 = Date.now() - 86_400_000;
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = template!;
    await h.db.insert(emailCampaigns).values(
      Array.from({ length: 229 }, (_, i) => ({
        ...copy,
        name: `Bulk ${i}`,
        // pairs share a created_at, so the id tie-break is exercised at page edges
        createdAt: new Date(t0 + Math.floor(i / 2) * 1000),
      })),
    );
    const before = new Set(
      (
        await h.db
          .select({ id: emailCampaigns.id })
          .from(emailCampaigns)
          .where(eq(emailCampaigns.workspaceId, f.ws.id))
      ).map((r) => r.id),
    );
    expect(before.size).toBeGreaterThanOrEqual(230);
    let added = 0;
    const { seen, pages } = await pageAll("/campaigns?limit=100", readA, async () => {
      added++;
      expect(
        (
          await call("POST", "/campaigns", {
            key: keyA,
            body: { type: "one-time", name: `Meanwhile ${added}`, steps: [{ subject: "Hi", body: "Hello" }] },
          })
        ).status,
      ).toBe(201);
    });
    expect(pages).toBe(Math.ceil(before.size / 100));
    expect(added).toBe(pages - 1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...before].sort());

    expect((await call("GET", "/campaigns?cursor=%%%", { key: readA })).status).toBe(400);
    const notATime = Buffer.from(JSON.stringify(["soon", made.body.id])).toString("base64url");
    expect((await call("GET", `/campaigns?cursor=${notATime}`, { key: readA })).status).toBe(400);
    const { seen: other } = await pageAll("/campaigns", keyB);
    expect(other.some((id) => before.has(id))).toBe(false);
  });
});

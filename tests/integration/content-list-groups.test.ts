import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { content } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 20, point 4: the content list shows one row per video. The posts of a Post-everywhere group
 * count as one entry in the page and in the total, and a group is never split across pages.
 */
const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const groups: string[] = [];

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  // Five groups of three posts and four posts on their own, created a minute apart, newest last:
  // in creation order the members of each group are interleaved with other posts.
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 9, minute));
  let minute = 0;
  const rows: (typeof content.$inferInsert)[] = [];
  for (let g = 0; g < 5; g++) {
    const groupId = randomUUID();
    groups.push(groupId);
    for (const type of ["tiktok", "youtube", "instagram"] as const) {
      rows.push({
        workspaceId: f.ws.id,
        type,
        title: `Video ${g} on ${type}`,
        groupId,
        createdBy: f.owner.id,
        createdAt: at(minute++),
      });
      if (type === "youtube" && g < 4) {
        rows.push({
          workspaceId: f.ws.id,
          type: "blog",
          title: `Post ${g}`,
          createdBy: f.owner.id,
          createdAt: at(minute++),
        });
      }
    }
  }
  // The other workspace's group must not appear (nor count).
  const otherGroup = randomUUID();
  for (const type of ["tiktok", "youtube"] as const) {
    rows.push({
      workspaceId: f.other.id,
      type,
      title: "Theirs",
      groupId: otherGroup,
      createdBy: f.otherOwner.id,
    });
  }
  await h.db.insert(content).values(rows);
});

describe("content list, one entry per video", () => {
  it("pages by entries: groups whole, total counts entries", async () => {
    const owner = callerFor(h.db, f.owner);
    const seen: string[] = [];
    const entriesPerPage: number[] = [];
    for (let offset = 0; offset < 20; offset += 4) {
      const page = await owner.content.list({ workspaceId: f.ws.id, limit: 4, offset, grouped: true });
      expect(page.total).toBe(9);
      const entries = new Set(page.content.map((c) => c.groupId ?? c.id));
      entriesPerPage.push(entries.size);
      for (const c of page.content) seen.push(c.id);
      for (const groupId of groups) {
        const members = page.content.filter((c) => c.groupId === groupId);
        expect([0, 3]).toContain(members.length);
      }
    }
    expect(entriesPerPage).toEqual([4, 4, 1, 0, 0]);
    expect(seen).toHaveLength(19);
    expect(new Set(seen).size).toBe(19);
  });

  it("orders entries by their first member and puts that member first", async () => {
    const owner = callerFor(h.db, f.owner);
    const page = await owner.content.list({ workspaceId: f.ws.id, limit: 3, offset: 0, grouped: true });
    // Newest first: group 4's Instagram post is the newest row of all, then the blog post 3 …
    expect(page.content[0]).toMatchObject({ title: "Video 4 on instagram", groupId: groups[4] });
    const order = [...new Set(page.content.map((c) => c.groupId ?? c.title))];
    expect(order).toEqual([groups[4], groups[3], "Post 3"]);

    const oldest = await owner.content.list({
      workspaceId: f.ws.id,
      limit: 2,
      offset: 0,
      direction: "asc",
      grouped: true,
    });
    expect(oldest.content[0]).toMatchObject({ title: "Video 0 on tiktok" });
    expect([...new Set(oldest.content.map((c) => c.groupId ?? c.title))]).toEqual([groups[0], "Post 0"]);
  });

  it("applies filters to members: a type filter lists that platform's posts one by one", async () => {
    const owner = callerFor(h.db, f.owner);
    const page = await owner.content.list({
      workspaceId: f.ws.id,
      type: "youtube",
      limit: 20,
      offset: 0,
      grouped: true,
    });
    expect(page.total).toBe(5);
    expect(page.content.map((c) => c.type)).toEqual(Array(5).fill("youtube"));
  });

  it("without grouped, pages posts as before", async () => {
    const owner = callerFor(h.db, f.owner);
    const page = await owner.content.list({ workspaceId: f.ws.id, limit: 4, offset: 0 });
    expect(page.total).toBe(19);
    expect(page.content).toHaveLength(4);
  });

  it("refuses another workspace", async () => {
    const outsider = callerFor(h.db, f.otherOwner);
    await expect(
      outsider.content.list({ workspaceId: f.ws.id, limit: 4, offset: 0, grouped: true }),
    ).rejects.toThrow();
  });
});

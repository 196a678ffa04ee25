import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { content, mediaAssets } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/*
 * Migration 0030: posts Post everywhere made with only a library video's id get the video's
 * library address (their editors show and keep `videoUrl`); nothing else changes.
 */
const h = await setupTestDb();
const migration = readFileSync(
  path.join(process.cwd(), "server/db/migrations/0030_short_video_addresses.sql"),
  "utf8",
);
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

async function video(workspaceId: string, userId: string) {
  const [row] = await h.db
    .insert(mediaAssets)
    .values({
      workspaceId,
      kind: "video",
      filename: "moon-mug_v2.mp4",
      mimeType: "video/mp4",
      sizeBytes: 1000,
      storage: "local",
      storageKey: `media/${workspaceId}/${randomUUID()}.mp4`,
      createdBy: userId,
    })
    .returning();
  return row!.id;
}

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

describe("migration 0030: short video addresses", () => {
  it("gives id-only YouTube and Instagram posts their library address, and leaves the rest", async () => {
    const mine = await video(f.ws.id, f.owner.id);
    const theirs = await video(f.other.id, f.otherOwner.id);
    const rows = await h.db
      .insert(content)
      .values([
        {
          workspaceId: f.ws.id,
          type: "youtube",
          title: "a",
          metadata: { youtube: { mediaId: mine, videoUrl: null } },
        },
        { workspaceId: f.ws.id, type: "instagram", title: "b", metadata: { instagram: { mediaId: mine } } },
        {
          workspaceId: f.ws.id,
          type: "instagram",
          title: "c",
          metadata: { instagram: { mediaId: mine, videoUrl: "https://cdn.example.com/own.mp4" } },
        },
        // Another workspace's video id: never resolved across workspaces.
        { workspaceId: f.ws.id, type: "youtube", title: "d", metadata: { youtube: { mediaId: theirs } } },
        { workspaceId: f.ws.id, type: "tiktok", title: "e", metadata: { tiktok: { mediaId: mine } } },
      ])
      .returning({ id: content.id });
    await h.db.execute(sql.raw(migration));

    const after = await h.db
      .select({ title: content.title, metadata: content.metadata })
      .from(content)
      .where(
        inArray(
          content.id,
          rows.map((r) => r.id),
        ),
      );
    const by = Object.fromEntries(after.map((r) => [r.title, r.metadata]));
    const address = `/api/media/${mine}/moon-mug_v2.mp4`;
    expect(by.a).toEqual({ youtube: { mediaId: mine, videoUrl: address } });
    expect(by.b).toEqual({ instagram: { mediaId: mine, videoUrl: address } });
    expect(by.c).toEqual({ instagram: { mediaId: mine, videoUrl: "https://cdn.example.com/own.mp4" } });
    expect(by.d).toEqual({ youtube: { mediaId: theirs } });
    expect(by.e).toEqual({ tiktok: { mediaId: mine } });

    // Running it again changes nothing.
    await h.db.execute(sql.raw(migration));
    const [again] = await h.db.select().from(content).where(eq(content.id, rows[0]!.id));
    expect(again!.metadata).toEqual({ youtube: { mediaId: mine, videoUrl: address } });
  });
});

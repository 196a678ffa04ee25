import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { mediaAssets } from "@/server/db/schema";
import { serveSignedMedia } from "@/server/media-signed-http";
import { signedMediaUrl, signMediaToken } from "@/server/services/media-signed";
import { resetStorage, storageFor } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/**
 * The signed, expiring media address a platform downloads a video from (Instagram's video_url).
 * The whole path through Meta's stand-in is in instagram-integration.test.ts.
 */

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-signed-media-"));

beforeAll(async () => {
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("APP_URL", "https://organic.example.test");
  resetEnvCache();
  resetStorage();
  f = await twoWorkspaces(h.db);
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function videoAsset(size: number, workspaceId = f.ws.id) {
  const id = randomUUID();
  const key = `${workspaceId}/${id}.mp4`;
  await storageFor("local").put(key, Buffer.alloc(size, 7), "video/mp4");
  await h.db.insert(mediaAssets).values({
    id,
    workspaceId,
    kind: "video",
    filename: "reel.mp4",
    mimeType: "video/mp4",
    sizeBytes: size,
    storage: "local",
    storageKey: key,
  });
  return id;
}

describe("signed media address", () => {
  const get = (token: string, headers: Record<string, string> = {}) =>
    serveSignedMedia({ db: h.db, token, method: "GET", headers: new Headers(headers) });

  it("is built on APP_URL, never on a request's host", () => {
    const id = randomUUID();
    expect(signedMediaUrl({ id, workspaceId: f.ws.id })).toMatch(
      /^https:\/\/organic\.example\.test\/api\/media\/signed\/[\w-]+\.[\w-]+$/,
    );
  });

  it("serves the file with Range support and no shared caching", async () => {
    const id = await videoAsset(10_000);
    const token = signMediaToken({ id, workspaceId: f.ws.id });
    const whole = await get(token);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("cache-control")).toBe("private, no-store");
    expect((await whole.arrayBuffer()).byteLength).toBe(10_000);
    const part = await get(token, { range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/10000");
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it("refuses a tampered, expired, foreign or malformed token with the same bare 404", async () => {
    const id = await videoAsset(1000);
    const token = signMediaToken({ id, workspaceId: f.ws.id });
    const [payload, mac] = token.split(".");
    const forged = Buffer.from(
      Buffer.from(payload!, "base64url").toString().replace(f.ws.id, f.other.id),
    ).toString("base64url");
    const bad = [
      `${forged}.${mac}`,
      `${payload}.${mac!.slice(0, -2)}AA`,
      signMediaToken({ id, workspaceId: f.ws.id }, Date.now() - 3 * 3_600_000),
      signMediaToken({ id, workspaceId: f.other.id }),
      signMediaToken({ id: randomUUID(), workspaceId: f.ws.id }),
      "garbage",
      "",
      `${payload}`,
    ];
    const answers = await Promise.all(
      bad.map(async (t) => [(await get(t)).status, await (await get(t)).text()]),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]![0]).toBe(404);
  });
});

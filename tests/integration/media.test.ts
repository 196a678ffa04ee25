import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { SessionUser } from "@/server/api/trpc";
import { content, mediaAssets } from "@/server/db/schema";
import { handleUpload, parseRange, serveMedia } from "@/server/media-http";
import {
  deleteMedia,
  FileTooLargeError,
  imageDimensions,
  listMedia,
  type MediaAsset,
  safeFilename,
  saveUpload,
} from "@/server/services/media";
import { resetStorage, storageFor } from "@/server/storage";
import { createLocalStorage } from "@/server/storage/local";
import { createS3Storage } from "@/server/storage/s3";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { activityOf } from "../helpers/more-fixtures";

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-media-test-"));
const uploads = path.join(dataDir, "uploads");
const savedEnv = { ...process.env };

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetStorage();
}

beforeAll(() => {
  setEnv({
    DATA_DIR: dataDir,
    // Local disk, whatever DATABASE_URL says: these tests look at the files (PostgreSQL and S3 stores
    // are covered by storage-contract and storage-scale-out tests).
    FILE_STORAGE: "local",
    S3_BUCKET: undefined,
    MEDIA_MAX_IMAGE_MB: undefined,
    MEDIA_MAX_VIDEO_MB: undefined,
  });
});
afterEach(() => {
  setEnv({
    FILE_STORAGE: "local",
    S3_BUCKET: undefined,
    MEDIA_MAX_IMAGE_MB: undefined,
    MEDIA_MAX_VIDEO_MB: undefined,
  });
});
afterAll(() => {
  setEnv({
    DATA_DIR: savedEnv.DATA_DIR,
    FILE_STORAGE: savedEnv.FILE_STORAGE,
    S3_BUCKET: savedEnv.S3_BUCKET,
    MEDIA_MAX_IMAGE_MB: savedEnv.MEDIA_MAX_IMAGE_MB,
    MEDIA_MAX_VIDEO_MB: savedEnv.MEDIA_MAX_VIDEO_MB,
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// ---- sample files ------------------------------------------------------------------------------

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid RGBA PNG of `width`×`height` red pixels. */
function makePng(width = 3, height = 2): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 4, Buffer.from([255, 0, 0, 255]))]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The start of an ISO-BMFF MP4: an `ftyp` box then an `mdat` box of filler. */
function makeMp4(bytes = 4096): Buffer {
  const ftyp = Buffer.from("000000186674797069736f6d0000020069736f6d6d703431", "hex");
  const mdat = Buffer.alloc(bytes - ftyp.length);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write("mdat", 4, "ascii");
  return Buffer.concat([ftyp, mdat]);
}

const HTML = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
);

function form(fields: {
  workspaceId: string;
  file?: Blob & { name?: string };
  name?: string;
  kind?: string;
}) {
  const fd = new FormData();
  fd.set("workspaceId", fields.workspaceId);
  if (fields.kind) fd.set("kind", fields.kind);
  if (fields.file) fd.set("file", fields.file, fields.name ?? "upload.bin");
  return fd;
}

function fileOf(bytes: Buffer, type = "") {
  return new Blob([new Uint8Array(bytes)], { type });
}

async function upload(user: SessionUser | null, workspaceId: string, bytes: Buffer, name: string, type = "") {
  return handleUpload({
    db: h.db,
    user,
    formData: form({ workspaceId, file: fileOf(bytes, type), name }),
    headers: new Headers({ "user-agent": "vitest", "x-forwarded-for": "203.0.113.9" }),
  });
}

async function uploadOk(user: SessionUser, workspaceId: string, bytes: Buffer, name: string, type = "") {
  const res = await upload(user, workspaceId, bytes, name, type);
  expect(res.status).toBe(201);
  return (await res.json()) as MediaAsset;
}

function get(asset: { id: string; filename: string }, headers: Record<string, string> = {}, method = "GET") {
  return serveMedia({
    db: h.db,
    id: asset.id,
    filename: asset.filename,
    method,
    headers: new Headers(headers),
  });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

async function rowsOf(workspaceId: string) {
  return h.db.select().from(mediaAssets).where(eq(mediaAssets.workspaceId, workspaceId));
}

const ctxOf = (workspaceId: string, user: SessionUser) => ({
  db: h.db,
  workspaceId,
  actor: { userId: user.id, ip: null, userAgent: "vitest" },
});

// ---- upload and serve --------------------------------------------------------------------------

describe("upload and serve", () => {
  it("accepts a real PNG and serves it back byte-identical with its type", async () => {
    const f = await twoWorkspaces(h.db);
    const png = makePng(3, 2);
    const asset = await uploadOk(f.member, f.ws.id, png, "My Logo (final).PNG", "image/png");
    expect(asset).toMatchObject({
      kind: "image",
      mimeType: "image/png",
      sizeBytes: png.length,
      width: 3,
      height: 2,
      filename: "My-Logo-final.png",
      url: `/api/media/${asset.id}/My-Logo-final.png`,
    });

    const res = await get(asset);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe('inline; filename="My-Logo-final.png"');
    expect(res.headers.get("cache-control")).toContain("max-age=31536000");
    expect(res.headers.get("content-length")).toBe(String(png.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);

    const [row] = await rowsOf(f.ws.id);
    expect(row).toMatchObject({ storage: "local", createdBy: f.member.id });
    expect(row!.storageKey).toBe(`${f.ws.id}/${asset.id}.png`);
    expect(fs.readFileSync(path.join(uploads, row!.storageKey)).equals(png)).toBe(true);

    const log = (await activityOf(h.db, f.ws.id)).find((a) => a.action === "media.uploaded");
    expect(log).toMatchObject({
      entityType: "media",
      entityId: asset.id,
      userId: f.member.id,
      ipAddress: "203.0.113.9",
    });
    expect(log!.metadata).toMatchObject({
      filename: "My-Logo-final.png",
      kind: "image",
      sizeBytes: png.length,
    });
  });

  it("trusts the bytes, not the name or the browser: a PNG named .jpg is stored as a PNG", async () => {
    const f = await twoWorkspaces(h.db);
    const asset = await uploadOk(f.member, f.ws.id, makePng(), "photo.jpg", "image/jpeg");
    expect(asset).toMatchObject({ mimeType: "image/png", filename: "photo.png" });
    const log = (await activityOf(h.db, f.ws.id)).find((a) => a.action === "media.uploaded");
    expect(log!.metadata).toMatchObject({ declaredType: "image/jpeg", mimeType: "image/png" });
  });

  it("accepts an MP4 video, and refuses one where an image was asked for", async () => {
    const f = await twoWorkspaces(h.db);
    const mp4 = makeMp4();
    const asset = await uploadOk(f.member, f.ws.id, mp4, "clip.mp4", "video/mp4");
    expect(asset).toMatchObject({ kind: "video", mimeType: "video/mp4", width: null, height: null });

    const res = await handleUpload({
      db: h.db,
      user: f.member,
      formData: form({ workspaceId: f.ws.id, file: fileOf(mp4), name: "clip.mp4", kind: "image" }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/Choose an image: this file is a MP4 video/);
    expect(await rowsOf(f.ws.id)).toHaveLength(1);
  });

  it.each([
    ["HTML named .png", HTML, "innocent.png", "image/png", /HTML, SVG or XML markup/],
    ["SVG with a script", SVG, "logo.svg", "image/svg+xml", /HTML, SVG or XML markup/],
    [
      "XML-declared SVG",
      Buffer.concat([Buffer.from('<?xml version="1.0"?>\n'), SVG]),
      "logo.png",
      "image/png",
      /markup/,
    ],
    ["a shell script named .mp4", Buffer.from("#!/bin/sh\nrm -rf /\n"), "video.mp4", "video/mp4", /text/],
    ["a PDF", Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"), "doc.png", "image/png", /PDF/],
    [
      "random bytes",
      Buffer.from([1, 2, 3, 0, 0, 255, 254, 7, 9, 0]),
      "x.gif",
      "image/gif",
      /not a recognised/,
    ],
    ["an empty file", Buffer.alloc(0), "empty.png", "image/png", /empty/],
  ])("refuses %s with a 400 naming the reason, storing nothing", async (_, bytes, name, type, reason) => {
    const f = await twoWorkspaces(h.db);
    const res = await upload(f.member, f.ws.id, bytes, name, type);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fieldErrors: { file: string[] } };
    expect(body.error).toMatch(reason);
    expect(body.fieldErrors.file[0]).toBe(body.error);
    expect(await rowsOf(f.ws.id)).toEqual([]);
    expect(filesUnder(path.join(uploads, f.ws.id))).toEqual([]);
    expect((await activityOf(h.db, f.ws.id)).filter((a) => a.action === "media.uploaded")).toEqual([]);
  });

  it("refuses a file over the limit with 413 before storing it", async () => {
    setEnv({ MEDIA_MAX_IMAGE_MB: "0.01" }); // 10 KiB
    const f = await twoWorkspaces(h.db);
    const big = Buffer.concat([makePng(), Buffer.alloc(20 * 1024)]);
    const res = await upload(f.member, f.ws.id, big, "big.png", "image/png");
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/This PNG image is .* images can be at most/);
    expect(await rowsOf(f.ws.id)).toEqual([]);
    expect(filesUnder(path.join(uploads, f.ws.id))).toEqual([]);
  });

  it("aborts a stream once it goes over the limit and removes the partial file", async () => {
    setEnv({ MEDIA_MAX_IMAGE_MB: "1" });
    const f = await twoWorkspaces(h.db);
    const wsDir = path.join(uploads, f.ws.id);
    const seenWhileStreaming: string[][] = [];
    let sent = 0;
    const source = Readable.from(
      (async function* () {
        yield makePng();
        for (let i = 0; i < 40; i++) {
          if (i === 4) seenWhileStreaming.push(filesUnder(wsDir));
          sent += 128 * 1024;
          yield Buffer.alloc(128 * 1024, 7);
        }
      })(),
    );
    await expect(
      saveUpload(ctxOf(f.ws.id, f.member), { filename: "huge.png", declaredType: "image/png", body: source }),
    ).rejects.toThrow(FileTooLargeError);
    // It was really being written to disk, then stopped shortly after the limit and cleaned up.
    expect(seenWhileStreaming[0]!.some((name) => name.endsWith(".partial"))).toBe(true);
    expect(sent).toBeLessThan(2 * 1024 * 1024);
    expect(filesUnder(wsDir)).toEqual([]);
    expect(await rowsOf(f.ws.id)).toEqual([]);
  });

  it("refuses a request whose announced length is over every limit before reading it", async () => {
    const { uploadTooLargeResponse } = await import("@/server/media-http");
    expect(uploadTooLargeResponse(new Headers({ "content-length": String(2 * 1024 ** 3) }))?.status).toBe(
      413,
    );
    expect(uploadTooLargeResponse(new Headers({ "content-length": "1000" }))).toBeNull();
    expect(uploadTooLargeResponse(new Headers())).toBeNull();
  });
});

// ---- who may upload ----------------------------------------------------------------------------

describe("upload permissions", () => {
  it("signed out 401, viewer 403, other workspace 404, bad input 400; nothing stored", async () => {
    const f = await twoWorkspaces(h.db);
    const png = makePng();
    expect((await upload(null, f.ws.id, png, "a.png")).status).toBe(401);
    const viewer = await upload(f.viewer, f.ws.id, png, "a.png");
    expect(viewer.status).toBe(403);
    expect((await viewer.json()).error).toMatch(/read-only/);
    const outsider = await upload(f.otherOwner, f.ws.id, png, "a.png");
    expect(outsider.status).toBe(404);
    expect((await outsider.json()).error).toBe("Workspace not found");
    expect((await upload(f.member, "not-a-uuid", png, "a.png")).status).toBe(400);
    const noFile = await handleUpload({ db: h.db, user: f.member, formData: form({ workspaceId: f.ws.id }) });
    expect(noFile.status).toBe(400);
    expect((await noFile.json()).error).toBe("Choose a file to upload");
    expect(await rowsOf(f.ws.id)).toEqual([]);
    expect(filesUnder(path.join(uploads, f.ws.id))).toEqual([]);
  });

  it("admins and owners may upload", async () => {
    const f = await twoWorkspaces(h.db);
    await uploadOk(f.admin, f.ws.id, makePng(), "a.png");
    await uploadOk(f.owner, f.ws.id, makePng(), "b.png");
    expect(await rowsOf(f.ws.id)).toHaveLength(2);
  });
});

// ---- list and delete ---------------------------------------------------------------------------

async function addContent(workspaceId: string, title: string, values: Partial<typeof content.$inferInsert>) {
  const [row] = await h.db
    .insert(content)
    .values({ workspaceId, type: "blog", title, ...values })
    .returning();
  return row!;
}

describe("media.list and media.delete", () => {
  it("lists a workspace's files newest first with usage counts, filtered by kind", async () => {
    const f = await twoWorkspaces(h.db);
    const image = await uploadOk(f.member, f.ws.id, makePng(), "a.png");
    const video = await uploadOk(f.member, f.ws.id, makeMp4(), "b.mp4");
    await uploadOk(f.otherOwner, f.other.id, makePng(), "theirs.png");
    await addContent(f.ws.id, "Post with cover", { metadata: { blog: { coverImageUrl: image.url } } });
    await addContent(f.ws.id, "Post with inline image", { body: `Look: ![x](${image.url})` });
    await addContent(f.ws.id, "TikTok", { type: "tiktok", metadata: { tiktok: { mediaId: video.id } } });
    // The same asset referenced from another workspace's content does not count here.
    await addContent(f.other.id, "Elsewhere", { mediaUrls: [image.url] });

    const viewer = callerFor(h.db, f.viewer);
    const all = await viewer.media.list({ workspaceId: f.ws.id });
    expect(all.total).toBe(2);
    expect(all.items.map((i) => [i.filename, i.usageCount])).toEqual([
      ["b.mp4", 1],
      ["a.png", 2],
    ]);
    const videos = await viewer.media.list({ workspaceId: f.ws.id, kind: "video", limit: 10, offset: 0 });
    expect(videos.items.map((i) => i.id)).toEqual([video.id]);
    const page2 = await viewer.media.list({ workspaceId: f.ws.id, limit: 1, offset: 1 });
    expect(page2).toMatchObject({ total: 2, items: [{ id: image.id }] });
    expect(await viewer.media.limits({ workspaceId: f.ws.id })).toEqual({
      imageMaxBytes: 10 * 1024 * 1024,
      videoMaxBytes: 500 * 1024 * 1024,
    });
  });

  it("another workspace can neither list nor delete the files: NOT_FOUND", async () => {
    const f = await twoWorkspaces(h.db);
    const asset = await uploadOk(f.member, f.ws.id, makePng(), "a.png");
    const outsider = callerFor(h.db, f.otherOwner);
    await expect(outsider.media.list({ workspaceId: f.ws.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.media.delete({ workspaceId: f.ws.id, id: asset.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // Through their own workspace the id is simply unknown.
    await expect(outsider.media.delete({ workspaceId: f.other.id, id: asset.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Media file not found",
    });
    expect((await outsider.media.list({ workspaceId: f.other.id })).items).toEqual([]);
    expect((await listMedia(h.db, f.other.id)).total).toBe(0);
    expect(await rowsOf(f.ws.id)).toHaveLength(1);
    expect((await get(asset)).status).toBe(200);
  });

  it("refuses to delete a file content uses, naming it; deletes it once unused", async () => {
    const f = await twoWorkspaces(h.db);
    const asset = await uploadOk(f.member, f.ws.id, makePng(), "cover.png");
    const post = await addContent(f.ws.id, "Spring launch", { mediaUrls: [asset.url] });
    const member = callerFor(h.db, f.member);

    await expect(
      callerFor(h.db, f.viewer).media.delete({ workspaceId: f.ws.id, id: asset.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(member.media.delete({ workspaceId: f.ws.id, id: asset.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "cover.png is used by “Spring launch”. Remove it from there first, then delete it.",
    });
    const video = await addContent(f.ws.id, "Clip", {
      type: "tiktok",
      metadata: { tiktok: { videoUrl: `http://localhost:3000${asset.url}` } },
    });
    await expect(deleteMedia(ctxOf(f.ws.id, f.member), { id: asset.id })).rejects.toThrow(
      /used by “(Clip|Spring launch)” and “(Clip|Spring launch)”/,
    );
    expect(await rowsOf(f.ws.id)).toHaveLength(1);

    await h.db.update(content).set({ mediaUrls: [] }).where(eq(content.id, post.id));
    await h.db.delete(content).where(and(eq(content.id, video.id), eq(content.workspaceId, f.ws.id)));
    const [row] = await rowsOf(f.ws.id);
    await expect(member.media.delete({ workspaceId: f.ws.id, id: asset.id })).resolves.toEqual({
      id: asset.id,
    });
    expect(await rowsOf(f.ws.id)).toEqual([]);
    expect(fs.existsSync(path.join(uploads, row!.storageKey))).toBe(false);
    expect((await get(asset)).status).toBe(404);
    const log = (await activityOf(h.db, f.ws.id)).find((a) => a.action === "media.deleted");
    expect(log).toMatchObject({ entityId: asset.id, userId: f.member.id });
  });
});

// ---- serving -----------------------------------------------------------------------------------

describe("serving", () => {
  it("answers Range requests with 206 and exactly the asked bytes", async () => {
    const f = await twoWorkspaces(h.db);
    const mp4 = makeMp4(5000);
    const asset = await uploadOk(f.member, f.ws.id, mp4, "clip.mp4");

    const first = await get(asset, { range: "bytes=0-99" });
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe("bytes 0-99/5000");
    expect(first.headers.get("content-length")).toBe("100");
    expect(first.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await first.arrayBuffer()).equals(mp4.subarray(0, 100))).toBe(true);

    const open = await get(asset, { range: "bytes=4990-" });
    expect(open.headers.get("content-range")).toBe("bytes 4990-4999/5000");
    expect(Buffer.from(await open.arrayBuffer()).equals(mp4.subarray(4990))).toBe(true);

    const suffix = await get(asset, { range: "bytes=-8" });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(mp4.subarray(4992))).toBe(true);

    const clamped = await get(asset, { range: "bytes=4000-999999" });
    expect(clamped.headers.get("content-range")).toBe("bytes 4000-4999/5000");

    const beyond = await get(asset, { range: "bytes=5000-" });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */5000");

    const staleIfRange = await get(asset, { range: "bytes=0-9", "if-range": '"something-else"' });
    expect(staleIfRange.status).toBe(200);
    expect((await staleIfRange.arrayBuffer()).byteLength).toBe(5000);

    const head = await get(asset, { range: "bytes=0-9" }, "HEAD");
    expect(head.status).toBe(206);
    expect(head.body).toBeNull();

    const cached = await get(asset, { "if-none-match": `"${asset.id}"` });
    expect(cached.status).toBe(304);
  });

  it("parses ranges by RFC 9110", () => {
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange("bytes=2-5", 10)).toEqual({ start: 2, end: 5 });
    expect(parseRange("bytes=0-0,5-6", 10)).toBeNull();
    expect(parseRange("items=0-5", 10)).toBeNull();
    expect(parseRange("bytes=5-2", 10)).toBeNull();
    expect(parseRange("bytes=-0", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=-50", 10)).toEqual({ start: 0, end: 9 });
  });

  it("is 404 for an unknown id, a malformed id or a wrong filename", async () => {
    const f = await twoWorkspaces(h.db);
    const asset = await uploadOk(f.member, f.ws.id, makePng(), "a.png");
    expect((await get({ id: crypto.randomUUID(), filename: "a.png" })).status).toBe(404);
    expect((await get({ id: "../../etc/passwd", filename: "a.png" })).status).toBe(404);
    expect((await get({ id: asset.id, filename: "../a.png" })).status).toBe(404);
    expect((await get({ id: asset.id, filename: "b.png" })).status).toBe(404);
  });
});

// ---- storage -----------------------------------------------------------------------------------

describe("storage keys", () => {
  const unsafe = [
    "../evil.png",
    "a/../../evil.png",
    "a/../b.png",
    "/etc/passwd",
    "a\\..\\..\\evil.png",
    "..",
    ".",
    "",
    "a//b.png",
    "a/",
    ".hidden",
    "a/b\u0000.png",
    "%2e%2e/evil.png",
  ];

  it.each(unsafe)("refuses %j on every operation, touching nothing outside the store", async (key) => {
    const root = path.join(dataDir, "keys-test", "uploads");
    const store = createLocalStorage(root);
    await expect(store.put(key, Buffer.from("x"), "image/png")).rejects.toThrow(/Unsafe storage key/);
    await expect(store.getStream(key)).rejects.toThrow(/Unsafe storage key/);
    await expect(store.delete(key)).rejects.toThrow(/Unsafe storage key/);
    expect(filesUnder(path.join(dataDir, "keys-test"))).toEqual([]);
  });

  it("keys come from ids, never from the uploaded name", async () => {
    const f = await twoWorkspaces(h.db);
    const asset = await uploadOk(f.member, f.ws.id, makePng(), "../../../../etc/cron.d/evil.png");
    expect(asset.filename).toBe("evil.png");
    const [row] = await rowsOf(f.ws.id);
    expect(row!.storageKey).toBe(`${f.ws.id}/${asset.id}.png`);
    expect(safeFilename("..\\..\\x.webp", "image/webp")).toBe("x.webp");
    expect(safeFilename("....png", "image/png")).toBe("file.png");
    expect(safeFilename("Café Ünïcode.jpeg", "image/jpeg")).toBe("Cafe-Unicode.jpeg");
    expect(safeFilename('a"b;c.png', "image/png")).toBe("a-b-c.png");
  });

  it("reads image dimensions from the header", () => {
    expect(imageDimensions("image/png", makePng(7, 5))).toEqual({ width: 7, height: 5 });
    const gif = Buffer.from("GIF89a\x0a\x00\x14\x00", "latin1");
    expect(imageDimensions("image/gif", gif)).toEqual({ width: 10, height: 20 });
    expect(imageDimensions("image/jpeg", Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
  });
});

// ---- S3 ----------------------------------------------------------------------------------------

/** A stand-in for the part of the S3 API the adapter uses (path-style, no signature checks). */
async function startFakeS3() {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const uploadsInProgress = new Map<string, Map<number, Buffer>>();
  const calls: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const key = decodeURIComponent(url.pathname.split("/").slice(2).join("/"));
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const q = url.searchParams;
    const xml = (s: string) => {
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>${s}`);
    };
    if (req.method === "POST" && q.has("uploads")) {
      calls.push("create");
      const id = `up-${uploadsInProgress.size + 1}`;
      uploadsInProgress.set(id, new Map());
      return xml(
        `<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (req.method === "PUT" && q.has("uploadId")) {
      calls.push(`part ${q.get("partNumber")}`);
      uploadsInProgress.get(q.get("uploadId")!)!.set(Number(q.get("partNumber")), body);
      res.writeHead(200, { etag: `"p${q.get("partNumber")}"` });
      return res.end();
    }
    if (req.method === "POST" && q.has("uploadId")) {
      calls.push("complete");
      const parts = uploadsInProgress.get(q.get("uploadId")!)!;
      const all = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
      objects.set(key, { body: Buffer.concat(all), type: "application/octet-stream" });
      uploadsInProgress.delete(q.get("uploadId")!);
      return xml(
        `<CompleteMultipartUploadResult><Key>${key}</Key><ETag>"x"</ETag></CompleteMultipartUploadResult>`,
      );
    }
    if (req.method === "DELETE" && q.has("uploadId")) {
      calls.push("abort");
      uploadsInProgress.delete(q.get("uploadId")!);
      res.writeHead(204);
      return res.end();
    }
    if (req.method === "PUT") {
      calls.push("put");
      objects.set(key, { body, type: String(req.headers["content-type"]) });
      res.writeHead(200, { etag: '"x"' });
      return res.end();
    }
    if (req.method === "GET") {
      const obj = objects.get(key);
      if (!obj) {
        res.writeHead(404, { "content-type": "application/xml" });
        return res.end("<Error><Code>NoSuchKey</Code><Message>none</Message></Error>");
      }
      const m = /bytes=(\d+)-(\d+)/.exec(String(req.headers.range ?? ""));
      if (m) {
        const [s, e] = [Number(m[1]), Number(m[2])];
        res.writeHead(206, {
          "content-type": obj.type,
          "content-range": `bytes ${s}-${e}/${obj.body.length}`,
          "content-length": e - s + 1,
        });
        return res.end(obj.body.subarray(s, e + 1));
      }
      res.writeHead(200, { "content-type": obj.type, "content-length": obj.body.length });
      return res.end(obj.body);
    }
    if (req.method === "DELETE") {
      calls.push("delete");
      objects.delete(key);
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(405);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, objects, uploadsInProgress, calls, close: () => new Promise((r) => server.close(r)) };
}

describe("S3 storage", () => {
  let s3: Awaited<ReturnType<typeof startFakeS3>>;
  beforeAll(async () => {
    s3 = await startFakeS3();
  });
  afterAll(async () => {
    await s3.close();
  });
  const s3Env = () => ({
    FILE_STORAGE: "s3",
    S3_BUCKET: "organic-test",
    S3_REGION: "us-east-1",
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: "test",
    S3_SECRET_ACCESS_KEY: "test-secret",
    S3_FORCE_PATH_STYLE: "true",
  });

  it("stores uploads in the bucket when S3_BUCKET is set, and serves them with ranges", async () => {
    setEnv(s3Env());
    const f = await twoWorkspaces(h.db);
    const png = makePng(4, 4);
    const asset = await uploadOk(f.member, f.ws.id, png, "s3.png");
    const [row] = await rowsOf(f.ws.id);
    expect(row).toMatchObject({ storage: "s3", storageKey: `${f.ws.id}/${asset.id}.png` });
    expect(s3.objects.get(row!.storageKey)).toMatchObject({ type: "image/png" });
    expect(filesUnder(path.join(uploads, f.ws.id))).toEqual([]);

    const res = await get(asset);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    const part = await get(asset, { range: "bytes=1-3" });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(png.subarray(1, 4))).toBe(true);

    await callerFor(h.db, f.member).media.delete({ workspaceId: f.ws.id, id: asset.id });
    expect(s3.objects.has(row!.storageKey)).toBe(false);
  });

  it("streams large files as a multipart upload, and aborts it when the stream fails", async () => {
    const e = { ...s3Env(), S3_FORCE_PATH_STYLE: true };
    const store = createS3Storage(e);
    const big = Buffer.alloc(9 * 1024 * 1024, 3);
    s3.calls.length = 0;
    const mib = Array.from({ length: 9 }, (_, i) => big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    await expect(store.put("ws/big.mp4", Readable.from(mib), "video/mp4")).resolves.toEqual({
      size: big.length,
    });
    expect(s3.calls).toEqual(["create", "part 1", "part 2", "complete"]);
    expect(s3.objects.get("ws/big.mp4")!.body.equals(big)).toBe(true);

    s3.calls.length = 0;
    const failing = Readable.from(
      (async function* () {
        yield Buffer.alloc(9 * 1024 * 1024);
        throw new Error("client went away");
      })(),
    );
    await expect(store.put("ws/broken.mp4", failing, "video/mp4")).rejects.toThrow("client went away");
    expect(s3.calls).toEqual(["create", "part 1", "abort"]);
    expect(s3.objects.has("ws/broken.mp4")).toBe(false);
    expect(s3.uploadsInProgress.size).toBe(0);

    await expect(store.getStream("ws/missing.mp4")).rejects.toThrow(/No stored file/);
    await expect(store.put("../escape", Buffer.from("x"), "image/png")).rejects.toThrow(/Unsafe storage key/);
  });

  it("rows stored locally stay readable after switching to S3", async () => {
    const f = await twoWorkspaces(h.db);
    const png = makePng();
    const asset = await uploadOk(f.member, f.ws.id, png, "before.png");
    setEnv(s3Env());
    expect(storageFor("local").kind).toBe("local");
    const res = await get(asset);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });
});

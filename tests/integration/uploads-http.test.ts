import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { POST as importPOST } from "@/app/api/leads/import/upload/route";
import { POST as mediaPOST } from "@/app/api/media/upload/route";
import { POST as restPOST } from "@/app/api/v1/[...path]/route";
import { resetEnvCache } from "@/lib/env";
import { mediaAssets } from "@/server/db/schema";
import { createApiKey } from "@/server/services/api-keys";
import { resetStorage } from "@/server/storage";
import { signUpAndSignIn } from "@/tests/helpers/auth-session";
import { setupTestDb } from "../helpers/db";
import { addMember, uniqueEmail } from "../helpers/fixtures";

/**
 * The upload routes, called as Next.js calls them (real Request objects, a real better-auth session
 * cookie, the real database and disk storage). They are left out of proxy.ts so their bodies stream
 * unbuffered, so each must itself: check the bytes against Content-Length (a short body is a 400 and
 * leaves nothing behind), answer 413 naming the limit from Content-Length without reading the body,
 * refuse a cross-site POST carrying the visitor's cookies (403), and keep the per-IP limit (429).
 */

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-uploads-http-"));
const saved = { ...process.env };
const appGlobals = globalThis as unknown as { organicDb?: Promise<unknown>; organicAuth?: unknown };
// The routes use the app's process-wide handles: point them at this file's database and folder.
appGlobals.organicDb = Promise.resolve(h);
appGlobals.organicAuth = undefined;
process.env.DATA_DIR = dataDir;
// Disk even with DATABASE_URL: the tests look for what was left in the folder.
process.env.FILE_STORAGE = "local";
delete process.env.S3_BUCKET;
delete process.env.MEDIA_MAX_VIDEO_MB;
delete process.env.LEADS_IMPORT_MAX_MB;
resetEnvCache();
resetStorage();
afterAll(() => {
  appGlobals.organicDb = undefined;
  appGlobals.organicAuth = undefined;
  for (const k of [
    "DATA_DIR",
    "FILE_STORAGE",
    "S3_BUCKET",
    "MEDIA_MAX_VIDEO_MB",
    "LEADS_IMPORT_MAX_MB",
    "HTTP_RATE_LIMIT_PER_MINUTE",
  ]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const BASE = "http://localhost:3000";
const MB = 1024 * 1024;
let ipCounter = 0;
/** A fresh address per request, so the per-IP limit only bites where a test means it to. */
const freshIp = () => `203.0.113.${(ipCounter++ % 250) + 1}`;

async function signUp() {
  const email = uniqueEmail("upl");
  const { cookie, userId } = await signUpAndSignIn({ email, name: "U", ip: freshIp(), base: BASE });
  return { cookie, user: { id: userId, email, name: "U" } };
}

const owner = await signUp();
const workspace = await (async () => {
  const { createWorkspace } = await import("../helpers/fixtures");
  return createWorkspace(h.db, { id: owner.user.id, email: owner.user.email, name: owner.user.name });
})();
const viewer = await signUp();
await addMember(h.db, workspace.id, "viewer", { id: viewer.user.id, email: viewer.user.email, name: null });

function makeMp4(bytes: number): Buffer {
  const ftyp = Buffer.from("000000186674797069736f6d0000020069736f6d6d703431", "hex");
  const mdat = Buffer.alloc(bytes - ftyp.length, 0x5a);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write("mdat", 4, "ascii");
  return Buffer.concat([ftyp, mdat]);
}

/** A multipart body as a browser's FormData sends it: the fields, then the file. */
function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = "----organicTestBoundary7MA4YWxkTrZu0gW";
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
  );
  parts.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A body stream that sends `bytes` in 64 KB chunks, then ends (possibly short of what was announced). */
function streamOf(bytes: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + 64 * 1024)));
      offset += 64 * 1024;
    },
  });
}

/** A body that counts the 64 KB chunks anyone reads: proves a refusal came from the headers. */
function unreadableBody(): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  return {
    stream: new ReadableStream(
      {
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      // No read-ahead: pull runs only when someone reads.
      { highWaterMark: 0 },
    ),
    pulled: () => pulled,
  };
}

function request(
  url: string,
  p: {
    cookie?: string;
    body: BodyInit | ReadableStream<Uint8Array>;
    contentType: string;
    length?: number;
    headers?: Record<string, string>;
  },
) {
  return new Request(`${BASE}${url}`, {
    method: "POST",
    headers: {
      "x-forwarded-for": freshIp(),
      "content-type": p.contentType,
      ...(p.cookie ? { cookie: p.cookie } : {}),
      ...(p.length !== undefined ? { "content-length": String(p.length) } : {}),
      ...p.headers,
    },
    body: p.body,
    duplex: "half",
  } as RequestInit);
}

const mediaRows = () => h.db.select().from(mediaAssets).where(eq(mediaAssets.workspaceId, workspace.id));
function filesUnder(dir: string): string[] {
  const full = path.join(dataDir, "uploads", dir);
  return fs.existsSync(full) ? fs.readdirSync(full, { recursive: true }).map(String) : [];
}
const importUrl = `/api/leads/import/upload?workspaceId=${workspace.id}&filename=list.csv`;

describe("media upload route (streamed multipart)", () => {
  it("stores a video larger than the proxy's 10 MB buffer, whole", async () => {
    const video = makeMp4(12 * MB);
    const { body, contentType } = multipart(
      { workspaceId: workspace.id, kind: "video" },
      { name: "big.mp4", type: "video/mp4", bytes: video },
    );
    const res = await mediaPOST(
      request("/api/media/upload", {
        cookie: owner.cookie,
        body: streamOf(body),
        contentType,
        length: body.length,
      }),
    );
    const asset = await res.json();
    expect(res.status, JSON.stringify(asset)).toBe(201);
    expect(asset).toMatchObject({ kind: "video", mimeType: "video/mp4", sizeBytes: video.length });
    const stored = fs.statSync(path.join(dataDir, "uploads", workspace.id, `${asset.id}.mp4`));
    expect(stored.size).toBe(video.length);
  });

  it("refuses a body shorter than its Content-Length with 400, keeping nothing", async () => {
    const before = (await mediaRows()).length;
    const filesBefore = filesUnder(workspace.id).length;
    const { body, contentType } = multipart(
      { workspaceId: workspace.id },
      { name: "cut.mp4", type: "video/mp4", bytes: makeMp4(2 * MB) },
    );
    const cut = body.subarray(0, MB);
    const res = await mediaPOST(
      request("/api/media/upload", {
        cookie: owner.cookie,
        body: streamOf(cut),
        contentType,
        length: body.length,
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain(`${cut.length} of the ${body.length} bytes`);
    expect((await mediaRows()).length).toBe(before);
    expect(filesUnder(workspace.id).length).toBe(filesBefore);
  });

  it("answers 413 naming the limit from Content-Length alone, without reading the body", async () => {
    const body = unreadableBody();
    const res = await mediaPOST(
      request("/api/media/upload", {
        cookie: owner.cookie,
        body: body.stream,
        contentType: "multipart/form-data; boundary=x",
        length: 600 * MB,
      }),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error).toContain("500 MB");
    expect(body.pulled()).toBe(0);
  });

  it("refuses a cross-site POST with the visitor's cookie (403), accepts a same-origin one", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const before = (await mediaRows()).length;
    const { body, contentType } = multipart(
      { workspaceId: workspace.id },
      { name: "a.png", type: "image/png", bytes: png },
    );
    const forgeries: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ];
    for (const forged of forgeries) {
      const res = await mediaPOST(
        request("/api/media/upload", { cookie: owner.cookie, body, contentType, headers: forged }),
      );
      expect(res.status, JSON.stringify(forged)).toBe(403);
    }
    expect((await mediaRows()).length).toBe(before);
    const ok = await mediaPOST(
      request("/api/media/upload", {
        cookie: owner.cookie,
        body,
        contentType,
        headers: { origin: BASE, "sec-fetch-site": "same-origin" },
      }),
    );
    expect(ok.status).toBe(201);
    expect((await mediaRows()).length).toBe(before + 1);
  });

  it("still refuses signed-out (401) and viewers (403) before storing", async () => {
    const { body, contentType } = multipart(
      { workspaceId: workspace.id },
      { name: "a.mp4", type: "video/mp4", bytes: makeMp4(4096) },
    );
    expect((await mediaPOST(request("/api/media/upload", { body, contentType }))).status).toBe(401);
    expect(
      (await mediaPOST(request("/api/media/upload", { cookie: viewer.cookie, body, contentType }))).status,
    ).toBe(403);
  });
});

describe("import upload route", () => {
  const csv = (rows: number) =>
    Buffer.from(
      ["email,name", ...Array.from({ length: rows }, (_, i) => `lead-${i}@example.test,Lead ${i}`)].join(
        "\n",
      ),
    );

  it("stores a raw CSV body whole", async () => {
    const bytes = csv(20_000);
    const res = await importPOST(
      request(importUrl, {
        cookie: owner.cookie,
        body: streamOf(bytes),
        contentType: "text/csv",
        length: bytes.length,
      }),
    );
    const saved = await res.json();
    expect(res.status, JSON.stringify(saved)).toBe(201);
    expect(saved.size).toBe(bytes.length);
  });

  it("refuses a raw body shorter than its Content-Length with 400, keeping nothing", async () => {
    const before = filesUnder("leads-import").length;
    const bytes = csv(20_000);
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.8));
    const res = await importPOST(
      request(importUrl, {
        cookie: owner.cookie,
        body: streamOf(cut),
        contentType: "text/csv",
        length: bytes.length,
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain(`${cut.length} of the ${bytes.length} bytes`);
    expect(filesUnder("leads-import").length).toBe(before);
  });

  it("refuses a multipart body shorter than its Content-Length with 400, keeping nothing", async () => {
    const before = filesUnder("leads-import").length;
    const { body, contentType } = multipart(
      { workspaceId: workspace.id },
      { name: "l.csv", type: "text/csv", bytes: csv(20_000) },
    );
    const res = await importPOST(
      request("/api/leads/import/upload", {
        cookie: owner.cookie,
        body: streamOf(body.subarray(0, body.length - 5000)),
        contentType,
        length: body.length,
      }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toContain("cut short");
    expect(filesUnder("leads-import").length).toBe(before);
  });

  it("answers 413 naming the limit from Content-Length alone, without reading the body", async () => {
    const body = unreadableBody();
    const res = await importPOST(
      request(importUrl, {
        cookie: owner.cookie,
        body: body.stream,
        contentType: "text/csv",
        length: 300 * MB,
      }),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error).toContain("200 MB");
    expect(body.pulled()).toBe(0);
  });

  it("refuses a cross-site POST with the visitor's cookie (403), keeping nothing", async () => {
    const before = filesUnder("leads-import").length;
    const bytes = csv(3);
    const forgeries: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const forged of forgeries) {
      const res = await importPOST(
        request(importUrl, { cookie: owner.cookie, body: bytes, contentType: "text/csv", headers: forged }),
      );
      expect(res.status).toBe(403);
    }
    expect(filesUnder("leads-import").length).toBe(before);
    const ok = await importPOST(
      request(importUrl, {
        cookie: owner.cookie,
        body: bytes,
        contentType: "text/csv",
        headers: { origin: BASE },
      }),
    );
    expect(ok.status).toBe(201);
  });
});

const { key } = await createApiKey(
  { db: h.db, workspaceId: workspace.id, actor: { userId: owner.user.id, ip: null, userAgent: null } },
  { name: "uploads test" },
);

describe("REST import (/api/v1/leads/import)", () => {
  const restImport = (body: BodyInit | ReadableStream<Uint8Array>, length?: number) =>
    restPOST(
      request("/api/v1/leads/import", {
        body,
        contentType: "text/csv",
        length,
        headers: { authorization: `Bearer ${key}` },
      }),
    );

  it("refuses a body shorter than its Content-Length with a 400 problem, keeping nothing", async () => {
    const before = filesUnder("leads-import").length;
    const bytes = Buffer.from(
      ["email", ...Array.from({ length: 5000 }, (_, i) => `r${i}@example.test`)].join("\n"),
    );
    const res = await restImport(streamOf(bytes.subarray(0, 20_000)), bytes.length);
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toContain(`20000 of the ${bytes.length} bytes`);
    expect(filesUnder("leads-import").length).toBe(before);
  });

  it("answers 413 naming the limit from Content-Length alone, without reading the body", async () => {
    const body = unreadableBody();
    const res = await restImport(body.stream, 300 * MB);
    expect(res.status).toBe(413);
    expect((await res.json()).detail).toContain("200 MB");
    // The REST layer hashes the body through a stream that reads one chunk ahead; no more.
    expect(body.pulled()).toBeLessThanOrEqual(1);
  });
});

describe("hostile queries on the routes that skip the proxy", () => {
  // What proxy.ts refuses for every other route: NUL, encoded surrogates, overlong or cut UTF-8, bare %.
  const HOSTILE = ["%00", "a%00b", "%ED%A0%80", "%C0%80", "%FF", "%E0%A4%A", "%", "%zz"];
  const stored = async () => [filesUnder("leads-import").length, (await mediaRows()).length];

  it("the cookie upload routes answer 400 before reading anything; nothing is stored", async () => {
    const before = await stored();
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const answers: string[] = [];
    for (const x of HOSTILE) {
      const imp = await importPOST(
        request(`/api/leads/import/upload?workspaceId=${workspace.id}&filename=${x}`, {
          cookie: owner.cookie,
          body: "email\nq@example.test\n",
          contentType: "text/csv",
        }),
      );
      if (imp.status !== 400) answers.push(`import ${x} → ${imp.status}`);
      const { body, contentType } = multipart(
        { workspaceId: workspace.id },
        { name: "a.png", type: "image/png", bytes: png },
      );
      const media = await mediaPOST(
        request(`/api/media/upload?name=${x}`, { cookie: owner.cookie, body, contentType }),
      );
      if (media.status !== 400) answers.push(`media ${x} → ${media.status}`);
    }
    expect(answers).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it("the REST import refuses a NUL in its query (400 problem) and never answers 5xx", async () => {
    const answers: string[] = [];
    for (const x of HOSTILE) {
      for (const q of [`source=${x}`, `tag=${x}`, `${x}=1`]) {
        const res = await restPOST(
          request(`/api/v1/leads/import?${q}`, {
            body: "email\nrest-q@example.test\n",
            contentType: "text/csv",
            headers: { authorization: `Bearer ${key}` },
          }),
        );
        const bad = res.status >= 500 || (x.includes("%00") && res.status !== 400);
        if (bad) answers.push(`?${q} → ${res.status} ${await res.text()}`);
      }
    }
    expect(answers).toEqual([]);
  });
});

describe("upload routes and the proxy", () => {
  it("proxy.ts's matcher leaves out the streamed routes and the JSON API's plain paths, nothing else", async () => {
    const { config } = await import("@/proxy");
    const source = config.matcher[0]!.source;
    // The matcher is a path-to-regexp source whose one group is a plain regular expression.
    const group = new RegExp(`^/${/^\/\((.*)\)$/.exec(source)![1]!}$`);
    for (const p of ["/api/media/upload", "/api/leads/import/upload", "/api/v1/leads/import"])
      expect(group.test(p), p).toBe(false);
    for (const p of ["/api/v1/leads", "/api/v1/workspace", "/api/trpc/x", "/api/trpc/a.b,c.d", "/api/health"])
      expect(group.test(p), p).toBe(false);
    for (const p of [
      "/api/media/upload/x",
      "/api/trpc/x%ff",
      "/api/v1/leads/%ff",
      "/api/leads/import/upload2",
      "/blog/a",
    ])
      expect(group.test(p), p).toBe(true);
  });
});

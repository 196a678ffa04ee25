import http from "node:http";
import { expect, type Page, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/**
 * Bodies past Next.js's proxy buffer (10 MB by default) arrive whole on the production build, over
 * the limit they are refused from Content-Length before being read, the upload routes keep the
 * security headers and the same-origin check although they bypass the proxy, and a malformed or
 * NUL-carrying path never reaches a handler (400, not 500).
 */

const PASSWORD = "correct horse battery staple";
const MB = 1024 * 1024;
const PORT = Number(process.env.E2E_PORT ?? 3210);

/** A CSV of `rows` leads padded to about `bytes`, every address unique to `prefix`. */
function makeCsv(prefix: string, rows: number, bytes: number): Buffer {
  const pad = "x".repeat(Math.max(0, Math.ceil(bytes / rows) - 20));
  const lines = ["email,name,padding"];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i}@example.test,Lead ${i},${pad}`);
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}

/** A valid MP4 `ftyp` box, then one `mdat` box of filler up to `bytes`: file-type sniffs video/mp4. */
function makeMp4(bytes: number): Buffer {
  const ftyp = Buffer.from("000000186674797069736f6d0000020069736f6d6d703431", "hex");
  const mdat = Buffer.alloc(bytes - ftyp.length, 0x5a);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write("mdat", 4, "ascii");
  return Buffer.concat([ftyp, mdat]);
}

async function leadCount(page: Page, workspaceId: string): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ json: { workspaceId } }));
  const res = await page.request.get(`/api/trpc/leads.count?input=${input}`);
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()).result.data.json as number;
}

async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

/**
 * Sends headers announcing `declared` bytes and only a few of them, and resolves with the answer
 * the server gives without waiting for the rest (a server that reads first never answers).
 */
function announceHuge(
  path: string,
  headers: Record<string, string>,
  declared: number,
): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "localhost",
        port: PORT,
        path,
        method: "POST",
        headers: { ...headers, "content-length": String(declared) },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started });
          req.destroy();
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${path} within 20 s`)));
    req.write(Buffer.alloc(64 * 1024, 0x61));
  });
}

test("a 12 MB CSV arrives whole through the import page and through /api/v1/leads/import", async ({
  page,
  request,
}) => {
  test.setTimeout(600_000);
  const { slug, workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Big Importer", email: uniqueEmail("big"), password: PASSWORD },
    "Big Import Co",
  );
  const ROWS = 12_000;

  // The import page streams the raw bytes to /api/leads/import/upload.
  const viaUi = makeCsv("ui", ROWS, 12 * MB);
  expect(viaUi.length).toBeGreaterThan(12 * MB);
  await page.goto(`/${slug}/leads/import`);
  await page
    .getByTestId("import-file")
    .setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: viaUi });
  await expect(page.getByTestId("import-start")).toBeVisible({ timeout: 60_000 });
  // The filler column is not lead data (kept, each ~1 kB value would be refused as a custom field).
  await page.getByTestId("import-keep-padding").click();
  await page.getByRole("option", { name: "Ignore", exact: true }).click();
  await expect(page.getByTestId("import-ignored")).toContainText("padding");
  await page.getByTestId("import-start").click();
  await expect(page.getByTestId("import-result")).toBeVisible({ timeout: 300_000 });
  await expect(page.getByTestId("import-imported")).toHaveText(/^12,?000$/);
  await shot(page, "large-uploads-01-import-12mb");
  expect(await leadCount(page, workspaceId)).toBe(ROWS);

  // The REST API takes the CSV as the request body.
  const created = await request.post("/api/trpc/apiKeys.create", {
    data: { json: { workspaceId, name: "big import" } },
    headers: { cookie: await cookieHeader(page) },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const key = (await created.json()).result.data.json.key as string;
  const viaApi = makeCsv("api", ROWS, 12 * MB);
  const started = await request.post("/api/v1/leads/import", {
    headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
    data: viaApi,
    timeout: 120_000,
  });
  expect(started.status(), await started.text()).toBe(202);
  const { jobId } = await started.json();
  let job: { status: string; result: { imported: number; total: number } | null } = {
    status: "queued",
    result: null,
  };
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/v1/jobs/${jobId}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        job = await res.json();
        return job.status;
      },
      { timeout: 300_000, intervals: [1_000] },
    )
    .toMatch(/succeeded|failed/);
  expect(job.status).toBe("succeeded");
  expect(job.result).toMatchObject({ imported: ROWS, total: ROWS });
  expect(await leadCount(page, workspaceId)).toBe(2 * ROWS);
});

test("a 60 MB video uploads whole; over-limit bodies get 413 naming the limit before they are read", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const { workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Big Video", email: uniqueEmail("video"), password: PASSWORD },
    "Big Video Co",
  );

  const video = makeMp4(60 * MB);
  const res = await page.request.post("/api/media/upload", {
    multipart: {
      workspaceId,
      kind: "video",
      file: { name: "launch.mp4", mimeType: "video/mp4", buffer: video },
    },
    timeout: 120_000,
  });
  expect(res.status(), await res.text()).toBe(201);
  const asset = await res.json();
  expect(asset).toMatchObject({ kind: "video", mimeType: "video/mp4", sizeBytes: video.length });
  // The upload route answers with the security headers although the proxy does not run for it.
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["x-frame-options"]).toBe("DENY");
  expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const served = await page.request.get(asset.url, { headers: { range: "bytes=0-7" } });
  expect(served.status()).toBe(206);
  expect(served.headers()["content-range"]).toBe(`bytes 0-7/${video.length}`);
  expect((await served.body()).subarray(4, 8).toString("ascii")).toBe("ftyp");

  // Past every limit (500 MB videos by default, 200 MB imports): 413 from the headers alone.
  const cookie = await cookieHeader(page);
  const origin = `http://localhost:${PORT}`;
  const media = await announceHuge(
    "/api/media/upload",
    { cookie, origin, "content-type": "multipart/form-data; boundary=x" },
    600 * MB,
  );
  expect(media.status).toBe(413);
  expect(media.body).toContain("500 MB");
  const importUpload = await announceHuge(
    `/api/leads/import/upload?workspaceId=${workspaceId}&filename=huge.csv`,
    { cookie, origin, "content-type": "text/csv" },
    300 * MB,
  );
  expect(importUpload.status).toBe(413);
  expect(importUpload.body).toContain("200 MB");
  const created = await page.request.post("/api/trpc/apiKeys.create", {
    data: { json: { workspaceId, name: "huge" } },
  });
  const key = (await created.json()).result.data.json.key as string;
  const rest = await announceHuge(
    "/api/v1/leads/import",
    { authorization: `Bearer ${key}`, "content-type": "text/csv" },
    300 * MB,
  );
  expect(rest.status).toBe(413);
  expect(rest.body).toContain("200 MB");
});

test("the upload routes refuse a forged cross-site POST and accept a same-origin one", async ({ page }) => {
  const { slug, workspaceId } = await signUpWithWorkspace(
    page,
    { name: "Csrf Upload", email: uniqueEmail("csrfup"), password: PASSWORD },
    "Csrf Upload Co",
  );
  const csv = Buffer.from("email\nforged@example.test\n");
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  );

  const importUrl = `/api/leads/import/upload?workspaceId=${workspaceId}&filename=forged.csv`;
  const forgeries: Record<string, string>[] = [
    { origin: "https://evil.example" },
    { "sec-fetch-site": "cross-site" },
  ];
  for (const headers of forgeries) {
    const forgedImport = await page.request.post(importUrl, {
      headers: { ...headers, "content-type": "text/csv" },
      data: csv,
    });
    expect(forgedImport.status()).toBe(403);
    const forgedMedia = await page.request.post("/api/media/upload", {
      headers,
      multipart: { workspaceId, file: { name: "a.png", mimeType: "image/png", buffer: png } },
    });
    expect(forgedMedia.status()).toBe(403);
  }
  const list = encodeURIComponent(JSON.stringify({ json: { workspaceId } }));
  const assets = await page.request.get(`/api/trpc/media.list?input=${list}`);
  expect(JSON.stringify(await assets.json())).not.toContain("a.png");

  // The page's own requests (same origin) still work.
  await page.goto(`/${slug}/leads`);
  const ok = await page.evaluate(
    async ({ url, body }) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "text/csv" }, body });
      return res.status;
    },
    { url: importUrl, body: csv.toString() },
  );
  expect(ok).toBe(201);
  const okMedia = await page.request.post("/api/media/upload", {
    headers: { origin: `http://localhost:${PORT}` },
    multipart: { workspaceId, file: { name: "a.png", mimeType: "image/png", buffer: png } },
  });
  expect(okMedia.status()).toBe(201);
});

// Segments no handler should ever see: NUL, encoded surrogates, overlong and truncated UTF-8, bare %.
const HOSTILE = ["%00", "a%00b", "%ED%A0%80", "%C0%80", "%FF", "%E0%A4%A", "%", "%zz"];

test("NUL and malformed percent-encoding in public paths answer 400 or 404, never 500", async ({ page }) => {
  test.setTimeout(300_000);
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Hostile Paths", email: uniqueEmail("paths"), password: PASSWORD },
    "Hostile Paths Co",
  );
  const signedIn = page.request;
  const anonymous = await page.context().browser()!.newContext();
  const uuid = "00000000-0000-4000-8000-000000000000";

  const paths = (x: string) => [
    `/${x}`,
    `/${x}/leads`,
    `/${slug}/${x}`,
    `/blog/${x}`,
    `/blog/${x}/rss.xml`,
    `/blog/${x}/sitemap.xml`,
    `/blog/${slug}/${x}`,
    `/blog/${x}/post`,
    `/f/${x}/newsletter`,
    `/f/${slug}/${x}`,
    `/u/${x}`,
    `/invitations/${x}`,
    `/api/track/open/${x}`,
    `/api/track/click/${x}`,
    `/api/media/${x}/a.png`,
    `/api/media/${uuid}/${x}`,
    `/api/leads/import/${x}/rejected?workspaceId=${uuid}`,
    `/api/v1/${x}`,
    `/api/v1/leads/${x}`,
    `/api/trpc/${x}`,
    `/api/auth/${x}`,
  ];
  const posts = (x: string) => [
    `/api/forms/${x}/newsletter`,
    `/api/forms/${slug}/${x}`,
    `/api/unsubscribe/${x}`,
  ];
  // Next.js re-encodes a query before the proxy sees it: undecodable bytes arrive as U+FFFD (which
  // any query can take), a NUL stays a NUL and is refused. So: never a 5xx, and NUL → 400.
  const queries = (x: string) => [
    `/f/confirm?token=${x}`,
    `/api/sse?workspaceId=${x}`,
    `/api/integrations/gmail/callback?state=${x}&code=${x}`,
    `/blog/${slug}?page=${x}`,
  ];

  const failures: string[] = [];
  for (const ctx of [anonymous.request, signedIn]) {
    for (const x of HOSTILE) {
      for (const path of paths(x)) {
        const res = await ctx.get(path, { maxRedirects: 0 });
        if (![400, 404].includes(res.status())) failures.push(`GET ${path} → ${res.status()}`);
      }
      for (const path of posts(x)) {
        const res = await ctx.post(path, {
          maxRedirects: 0,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          data: "email=a%40example.test",
        });
        if (![400, 404].includes(res.status())) failures.push(`POST ${path} → ${res.status()}`);
      }
      for (const path of queries(x)) {
        const status = (await ctx.get(path, { maxRedirects: 0 })).status();
        if (status >= 500 || (x.includes("%00") && status !== 400)) failures.push(`GET ${path} → ${status}`);
      }
    }
  }
  await anonymous.close();
  expect(failures).toEqual([]);
});

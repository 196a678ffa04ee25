import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import { and, count, eq, sql } from "drizzle-orm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { SessionUser } from "@/server/api/trpc";
import { activityLogs, customFieldDefinitions, leads } from "@/server/db/schema";
import { getJobRun } from "@/server/services/jobs";
import { handleImportUpload, handleRejectedDownload } from "@/server/services/leads-import/http";
import { importLeadsFromUpload } from "@/server/services/leads-import/import-file";
import type { ImportResult, StartImportInput } from "@/server/services/leads-import/schemas";
import { startImportInput } from "@/server/services/leads-import/schemas";
import {
  createStagingSql,
  lockStagingTable,
  sweepStagingTables,
} from "@/server/services/leads-import/staging";
import { resetStorage } from "@/server/storage";
import { setupTestDb, usingPostgres } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-import-test-"));
const saved = {
  DATA_DIR: process.env.DATA_DIR,
  S3_BUCKET: process.env.S3_BUCKET,
  FILE_STORAGE: process.env.FILE_STORAGE,
};
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "../fixtures/csv", name));

beforeAll(() => {
  process.env.DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  // Local disk even with DATABASE_URL: storedFiles() below looks at the folder.
  process.env.FILE_STORAGE = "local";
  resetEnvCache();
  resetStorage();
});
afterAll(() => {
  if (saved.DATA_DIR === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = saved.DATA_DIR;
  if (saved.S3_BUCKET !== undefined) process.env.S3_BUCKET = saved.S3_BUCKET;
  if (saved.FILE_STORAGE === undefined) delete process.env.FILE_STORAGE;
  else process.env.FILE_STORAGE = saved.FILE_STORAGE;
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const t = await twoWorkspaces(h.db);

function storedFiles(): string[] {
  const dir = path.join(dataDir, "uploads", "leads-import");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String);
}

async function upload(body: Buffer | string | Readable, user: SessionUser = t.owner, workspaceId = t.ws.id) {
  const res = await handleImportUpload({
    db: h.db,
    user,
    workspaceId,
    file: { body: typeof body === "string" ? Buffer.from(body) : body, name: "list.csv" },
  });
  return { status: res.status, body: (await res.json()) as { uploadId: string; error?: string } };
}

async function uploadId(body: Buffer | string | Readable, workspaceId = t.ws.id) {
  const res = await upload(body, t.owner, workspaceId);
  expect(res.status, res.body.error).toBe(201);
  return res.body.uploadId;
}

async function runImport(
  csv: Buffer | string | Readable,
  opts: Partial<Omit<StartImportInput, "uploadId">> & { workspaceId?: string; drainMs?: number } = {},
) {
  const workspaceId = opts.workspaceId ?? t.ws.id;
  const id = await uploadId(csv, workspaceId);
  const api = callerFor(h.db, t.owner);
  const preview = await api.leadsImport.preview({ workspaceId, uploadId: id });
  const { jobId } = await api.leadsImport.start({
    workspaceId,
    uploadId: id,
    mapping: opts.mapping ?? preview.suggestedMapping,
    policy: opts.policy ?? "skip",
    tags: opts.tags ?? [],
    source: opts.source,
  });
  await h.queue.drain(opts.drainMs ?? 20_000);
  const run = await getJobRun(h.db, workspaceId, jobId);
  expect(run.error).toBeNull();
  expect(run.status).toBe("succeeded");
  return { jobId, preview, result: run.result as unknown as ImportResult };
}

async function rejectedRows(jobId: string, workspaceId = t.ws.id) {
  const res = await handleRejectedDownload({ db: h.db, user: t.owner, workspaceId, jobId });
  expect(res.status).toBe(200);
  return parse((await res.text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
}

async function lead(email: string, workspaceId = t.ws.id) {
  const [row] = await h.db
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.email, email)));
  return row;
}

describe("preview", () => {
  it("handles a UTF-8 BOM and CRLF, and maps common export headers", async () => {
    const id = await uploadId(fixture("bom-crlf.csv"));
    const p = await callerFor(h.db, t.member).leadsImport.preview({ workspaceId: t.ws.id, uploadId: id });
    expect(p.headers).toEqual(["Email Address", "First Name", "Last Name", "Tags"]);
    expect(p.rows).toEqual([
      ["Ada@Example.com", "Ada", "Lovelace", "vip, early"],
      ["bob@example.com", "Bob", "", ""],
    ]);
    expect(p.suggestedMapping).toMatchObject({
      email: "Email Address",
      name: ["First Name", "Last Name"],
      tags: "Tags",
    });
  });

  it("detects `;` and tab delimiters", async () => {
    const api = callerFor(h.db, t.owner);
    const semi = await api.leadsImport.preview({
      workspaceId: t.ws.id,
      uploadId: await uploadId(fixture("semicolon.csv")),
    });
    expect(semi.delimiter).toBe(";");
    expect(semi.rows[1]).toEqual(["carl@example.com", "Carl; Jr", "x;y"]);
    const tab = await api.leadsImport.preview({
      workspaceId: t.ws.id,
      uploadId: await uploadId(fixture("tab.csv")),
    });
    expect(tab.delimiter).toBe("\t");
    expect(tab.suggestedMapping).toMatchObject({ email: "E-mail", name: "Name", source: "Source" });
  });

  it("a file with only headers previews 0 rows and imports 0 rows", async () => {
    const { preview, result } = await runImport(fixture("only-headers.csv"));
    expect(preview.rows).toEqual([]);
    expect(result).toMatchObject({ total: 0, imported: 0, invalid: 0, rejectedUrl: null });
  });

  it.each([
    ["page.html", /web page/],
    ["binary.bin", /binary/],
    ["no-header.csv", /no line of column names/],
    ["single-column.csv", /single column/],
  ])("refuses %s with a clear 400 and stores nothing", async (name, message) => {
    const before = storedFiles().length;
    const res = await upload(fixture(name));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
    expect(storedFiles().length).toBe(before);
  });

  it("refuses viewers (403 upload, FORBIDDEN preview/start) and other workspaces (404, NOT_FOUND)", async () => {
    expect((await upload("email\na@example.com\n", t.viewer)).status).toBe(403);
    expect((await upload("email\na@example.com\n", t.owner, t.other.id)).status).toBe(404);
    expect((await upload("email\na@example.com\n", null as unknown as SessionUser)).status).toBe(401);
    const id = await uploadId("email\na@example.com\n");
    await expect(
      callerFor(h.db, t.viewer).leadsImport.preview({ workspaceId: t.ws.id, uploadId: id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(h.db, t.viewer).leadsImport.start({
        workspaceId: t.ws.id,
        uploadId: id,
        mapping: { email: "email" },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The other workspace's owner, in their own workspace, cannot reach this upload.
    const otherApi = callerFor(h.db, t.otherOwner);
    await expect(
      otherApi.leadsImport.preview({ workspaceId: t.other.id, uploadId: id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      otherApi.leadsImport.start({ workspaceId: t.other.id, uploadId: id, mapping: { email: "email" } }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, t.owner).leadsImport.preview({ workspaceId: t.other.id, uploadId: id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a mapping naming a column the file does not have", async () => {
    const id = await uploadId("email,name\na@example.com,A\n");
    await expect(
      callerFor(h.db, t.owner).leadsImport.start({
        workspaceId: t.ws.id,
        uploadId: id,
        mapping: { email: "Mail" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("import", () => {
  it("imports quoted fields with commas and newlines, skips empty lines, rejects invalid and duplicate rows", async () => {
    const { jobId, result } = await runImport(fixture("quoted-empty-dups.csv"), { tags: ["imported"] });
    expect(result).toMatchObject({
      total: 4,
      imported: 2,
      updated: 0,
      skipped: 0,
      invalid: 2,
      duplicates: 1,
    });
    expect(await lead("fay@example.com")).toMatchObject({ name: "Fay, the second", tags: ["imported"] });
    const rejected = await rejectedRows(jobId);
    expect(rejected).toEqual([
      { email: "not-an-email", name: "Nobody", notes: "", row: "8", reason: "Email has no @" },
      { email: "FAY@example.com", name: "Fay again", notes: "dup", row: "9", reason: "Duplicate of row 2" },
    ]);
    const [activity] = await h.db
      .select()
      .from(activityLogs)
      .where(
        and(
          eq(activityLogs.workspaceId, t.ws.id),
          eq(activityLogs.action, "lead.imported"),
          eq(activityLogs.entityId, jobId),
        ),
      );
    expect(activity?.metadata).toMatchObject({ imported: 2, invalid: 2, total: 4 });
    // Another workspace cannot download these rows; a viewer of this one can.
    const other = await handleRejectedDownload({
      db: h.db,
      user: t.otherOwner,
      workspaceId: t.other.id,
      jobId,
    });
    expect(other.status).toBe(404);
    const notMember = await handleRejectedDownload({
      db: h.db,
      user: t.otherOwner,
      workspaceId: t.ws.id,
      jobId,
    });
    expect(notMember.status).toBe(404);
    const viewer = await handleRejectedDownload({ db: h.db, user: t.viewer, workspaceId: t.ws.id, jobId });
    expect(viewer.status).toBe(200);
  });

  it("BOM + CRLF file: names joined, tags split, emails lower-cased", async () => {
    const { result } = await runImport(fixture("bom-crlf.csv"));
    expect(result).toMatchObject({ total: 2, imported: 2, invalid: 0 });
    expect(await lead("ada@example.com")).toMatchObject({ name: "Ada Lovelace", tags: ["vip", "early"] });
    expect(await lead("bob@example.com")).toMatchObject({ name: "Bob", tags: [] });
  });

  it("`;` and tab files import", async () => {
    expect((await runImport(fixture("semicolon.csv"))).result).toMatchObject({ imported: 2 });
    expect(await lead("carl@example.com")).toMatchObject({ name: "Carl; Jr", tags: ["x", "y"] });
    const tab = await runImport(fixture("tab.csv"), { source: "csv import" });
    expect(tab.result).toMatchObject({ imported: 2 });
    expect(await lead("dee@example.com")).toMatchObject({ source: "fair" });
    expect(await lead("emil@example.com")).toMatchObject({ source: "csv import" });
  });

  it("skip leaves existing leads alone; update merges tags and custom fields; counts are exact", async () => {
    await h.db.insert(customFieldDefinitions).values([
      { workspaceId: t.ws.id, key: "plan", label: "Plan", type: "select", options: ["free", "pro"] },
      { workspaceId: t.ws.id, key: "seats", label: "Seats", type: "number" },
    ]);
    const first = "email,name,tags,plan,seats\nm1@example.com,M One,a,free,1\nm2@example.com,M Two,b,pro,2\n";
    expect((await runImport(first)).result).toMatchObject({ imported: 2, total: 2 });

    const second =
      "Email,Name,Tags,Plan,Seats\nm1@example.com,Changed,c,pro,\nm2@example.com,,b;d,,5\nm3@example.com,M Three,,free,x\nm4@example.com,M Four,,,\n";
    const skip = await runImport(second, { policy: "skip" });
    expect(skip.preview.suggestedMapping.custom).toEqual({ plan: "Plan", seats: "Seats" });
    expect(skip.result).toMatchObject({ imported: 1, updated: 0, skipped: 2, invalid: 1, total: 4 });
    expect(await lead("m1@example.com")).toMatchObject({
      name: "M One",
      tags: ["a"],
      customFields: { plan: "free", seats: 1 },
    });
    expect((await rejectedRows(skip.jobId))[0]).toMatchObject({
      Email: "m3@example.com",
      reason: "Seats must be a number",
    });

    const update = await runImport(second, { policy: "update", tags: ["vip"] });
    expect(update.result).toMatchObject({ imported: 0, updated: 3, skipped: 0, invalid: 1, total: 4 });
    expect(await lead("m1@example.com")).toMatchObject({
      name: "Changed",
      tags: ["a", "vip", "c"],
      customFields: { plan: "pro", seats: 1 },
    });
    expect(await lead("m2@example.com")).toMatchObject({
      name: "M Two",
      tags: ["b", "vip", "d"],
      customFields: { plan: "pro", seats: 5 },
    });
    // Nothing leaked into the other workspace.
    const [{ n }] = (await h.db
      .select({ n: count() })
      .from(leads)
      .where(eq(leads.workspaceId, t.other.id))) as [{ n: number }];
    expect(n).toBe(0);
  });

  it("cells with backslashes, tabs, quotes, braces and line breaks arrive as written", async () => {
    await h.db
      .insert(customFieldDefinitions)
      .values([{ workspaceId: t.ws.id, key: "note", label: "Note", type: "text" }]);
    const csv =
      "email,name,tags,note\n" +
      'esc1@example.com,"Back\\slash\tTab ""Q""","{x},NULL,a b,""quoted"",back\\s","line 1\nline 2 😀"\n' +
      "esc2@example.com,Plain,,\n";
    const { result } = await runImport(csv, {
      mapping: { email: "email", name: "name", tags: "tags", custom: { note: "note" } },
    });
    expect(result).toMatchObject({ total: 2, imported: 2, invalid: 0 });
    expect(await lead("esc1@example.com")).toMatchObject({
      name: 'Back\\slash\tTab "Q"',
      tags: ["{x}", "NULL", "a b", '"quoted"', "back\\s"],
      customFields: { note: "line 1\nline 2 😀" },
    });
    expect(await lead("esc2@example.com")).toMatchObject({ name: "Plain", tags: [], customFields: {} });
  });

  it("a repeat of an invalid row is imported; repeats point at the first valid row", async () => {
    await h.db
      .insert(customFieldDefinitions)
      .values([{ workspaceId: t.ws.id, key: "age", label: "Age", type: "number" }]);
    const csv =
      "email,age\nrep@example.com,old\nREP@example.com,30\nrep@example.com ,31\nother@example.com,1\n";
    const { jobId, result } = await runImport(csv);
    expect(result).toMatchObject({ total: 4, imported: 2, invalid: 2, duplicates: 1 });
    expect(await lead("rep@example.com")).toMatchObject({ customFields: { age: 30 } });
    expect(await rejectedRows(jobId)).toEqual([
      { email: "rep@example.com", age: "old", row: "2", reason: "Age must be a number" },
      { email: "rep@example.com ", age: "31", row: "4", reason: "Duplicate of row 3" },
    ]);
  });

  it("a quote never closed fails the import with a clear message and writes nothing", async () => {
    const id = await uploadId('email,name\nq1@example.com,One\nq2@example.com,"Two\nq3@example.com,Three\n');
    const api = callerFor(h.db, t.owner);
    const { jobId } = await api.leadsImport.start({
      workspaceId: t.ws.id,
      uploadId: id,
      mapping: { email: "email", name: "name" },
    });
    await h.queue.drain(20_000);
    const run = await getJobRun(h.db, t.ws.id, jobId);
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/quoted value that starts on line 3 is never closed/);
    expect(await lead("q1@example.com")).toBeUndefined();
  });

  it("a quote never closed after many merged chunks still writes nothing", { timeout: 60_000 }, async () => {
    const saved = process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS;
    process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS = "1000";
    resetEnvCache();
    try {
      const good = Array.from({ length: 6000 }, (_, i) => `late-quote-${i}@example.com,P ${i}`).join("\n");
      const id = await uploadId(`email,name\n${good}\nlate-quote-x@example.com,"Never closed\n`);
      const { jobId } = await callerFor(h.db, t.owner).leadsImport.start({
        workspaceId: t.ws.id,
        uploadId: id,
        mapping: { email: "email", name: "name" },
      });
      await h.queue.drain(50_000);
      const run = await getJobRun(h.db, t.ws.id, jobId);
      expect(run.status).toBe("failed");
      expect(run.error).toMatch(/quoted value that starts on line 6002 is never closed/);
      const [{ n }] = (await h.db
        .select({ n: count() })
        .from(leads)
        .where(and(eq(leads.workspaceId, t.ws.id), sql`${leads.email} like 'late-quote-%'`))) as [
        { n: number },
      ];
      expect(n).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS;
      else process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS = saved;
      resetEnvCache();
    }
  });

  it("25,000 rows in many merge chunks: exact counts and a correct rejected rows file, then update", {
    timeout: 120_000,
  }, async () => {
    const saved = process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS;
    process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS = "2000";
    resetEnvCache();
    try {
      const rows = 25_000;
      let csv = "email,name,tags\r\n";
      const expectedRejected: { row: string; reason: string }[] = [];
      for (let i = 0; i < rows; i++) {
        const line = i + 2; // the header is line 1
        if (i % 50 === 7) {
          csv += `chunk-broken-${i},Broken,\r\n`;
          expectedRejected.push({ row: String(line), reason: "Email has no @" });
        } else if (i % 50 === 9) {
          // Repeats the row just before it (a valid one).
          csv += `CHUNK-${i - 1}@example.com,Dup,x\r\n`;
          expectedRejected.push({ row: String(line), reason: `Duplicate of row ${line - 1}` });
        } else if (i === rows - 1) {
          // The very first row, repeated at the end of the file (far apart: different chunks).
          csv += "chunk-0@example.com,Late,late\r\n";
          expectedRejected.push({ row: String(line), reason: "Duplicate of row 2" });
        } else csv += `chunk-${i}@example.com,Person ${i},"c${i % 3},all"\r\n`;
      }
      const invalid = expectedRejected.length;
      const duplicates = expectedRejected.filter((r) => r.reason.startsWith("Duplicate")).length;
      const first = await runImport(csv, { drainMs: 110_000 });
      expect(first.result).toMatchObject({
        total: rows,
        imported: rows - invalid,
        updated: 0,
        skipped: 0,
        invalid,
        duplicates,
      });
      const rejected = await rejectedRows(first.jobId);
      expect(rejected.map((r) => ({ row: r.row, reason: r.reason }))).toEqual(expectedRejected);
      expect(rejected[1]).toEqual({
        email: "CHUNK-8@example.com",
        name: "Dup",
        tags: "x",
        row: "11",
        reason: "Duplicate of row 10",
      });
      expect(await lead("chunk-0@example.com")).toMatchObject({ name: "Person 0", tags: ["c0", "all"] });
      const [{ n }] = (await h.db
        .select({ n: count() })
        .from(leads)
        .where(and(eq(leads.workspaceId, t.ws.id), sql`${leads.email} like 'chunk-%'`))) as [{ n: number }];
      expect(n).toBe(rows - invalid);
      // Ids are time-ordered and unique.
      const ids = await h.db
        .select({ id: leads.id })
        .from(leads)
        .where(and(eq(leads.workspaceId, t.ws.id), sql`${leads.email} like 'chunk-%'`));
      expect(new Set(ids.map((r) => r.id)).size).toBe(rows - invalid);
      expect(ids.every((r) => r.id[14] === "7")).toBe(true);

      const again = await runImport(csv, { policy: "update", tags: ["again"], drainMs: 110_000 });
      expect(again.result).toMatchObject({
        total: rows,
        imported: 0,
        updated: rows - invalid,
        skipped: 0,
        invalid,
      });
      expect(await lead("chunk-5@example.com")).toMatchObject({ tags: ["c2", "all", "again"] });
    } finally {
      if (saved === undefined) delete process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS;
      else process.env.LEADS_IMPORT_MERGE_CHUNK_ROWS = saved;
      resetEnvCache();
    }
  });

  it("streams a large generated file with exact counts", { timeout: 120_000 }, async () => {
    // 200,000 rows on PostgreSQL (~10 s); PGlite runs in-process and takes ~35 s for that, so 50,000.
    const rows = Number(process.env.IMPORT_TEST_ROWS ?? (usingPostgres ? 200_000 : 50_000));
    function* lines() {
      yield "email,name,tags\n";
      for (let i = 0; i < rows; i++) {
        if (i % 100 === 7) yield `broken-${i},Broken,\n`;
        else if (i % 100 === 8) yield `BIG-${i - 2}@example.com,Dup,\n`;
        else yield `big-${i}@example.com,Person ${i},"t${i % 3},all"\n`;
      }
    }
    const source = Readable.from(
      (function* () {
        let buf = "";
        for (const l of lines()) {
          buf += l;
          if (buf.length > 64 * 1024) {
            yield Buffer.from(buf);
            buf = "";
          }
        }
        if (buf) yield Buffer.from(buf);
      })(),
    );
    const heapBefore = process.memoryUsage().heapUsed;
    const { result } = await runImport(source, { drainMs: 110_000 });
    const broken = Math.ceil((rows - 7) / 100);
    const duplicates = Math.ceil((rows - 8) / 100);
    const invalid = broken + duplicates;
    expect(result).toMatchObject({ total: rows, imported: rows - invalid, invalid, duplicates, skipped: 0 });
    const [{ n }] = (await h.db.select({ n: count() }).from(leads).where(eq(leads.workspaceId, t.ws.id))) as [
      { n: number },
    ];
    expect(n).toBeGreaterThanOrEqual(rows - invalid);
    // Generous: the file is ~8 MB; only the email hashes (8 bytes an email) grow.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });
});

describe.skipIf(!usingPostgres)("staging tables left by a killed import", () => {
  const stagingTables = async () => {
    const rows = (await h.db.execute(
      sql`select relname from pg_class where relname ~ '^leads_import_[0-9a-f]{32}' and relpersistence = 'u' order by 1`,
    )) as unknown as { rows: { relname: string }[] };
    return rows.rows.map((r) => r.relname);
  };

  it("an import whose connection died leaves its UNLOGGED table, and the sweep drops it", async () => {
    const csv = `email,name\n${Array.from({ length: 500 }, (_, i) => `killed-${i}@example.com,K ${i}`).join("\n")}\n`;
    const id = await uploadId(csv);
    const jobId = randomUUID();
    const table = `leads_import_${jobId.replaceAll("-", "")}`;
    // The first progress report comes while the rows stream into COPY: the import's own backend
    // is ended there, as when its server connection or its process dies.
    const killed = importLeadsFromUpload(h.db, {
      workspaceId: t.ws.id,
      jobId,
      input: startImportInput.parse({ uploadId: id, mapping: { email: "email", name: "name" } }),
      onProgress: async () => {
        await h.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid() and query ilike ${`%${table}%`}`,
        );
      },
    });
    await expect(killed).rejects.toThrow();
    expect(await stagingTables()).toContain(table);
    expect(await lead("killed-0@example.com")).toBeUndefined();

    expect(await sweepStagingTables(h.db)).toContain(table);
    expect(await stagingTables()).not.toContain(table);
  });

  it("leaves the tables of an import that is still running (its lock is held)", async () => {
    const pool = (h.db as unknown as { $client: pg.Pool }).$client;
    const live = await pool.connect();
    const table = `leads_import_${randomUUID().replaceAll("-", "")}`;
    try {
      await live.query(createStagingSql(table, "unlogged"));
      await live.query(`create unlogged table ${table}_rejected (row integer)`);
      await lockStagingTable({ query: async (q, p) => (await live.query(q, p)).rows }, table);
      expect(await sweepStagingTables(h.db)).not.toContain(table);
      expect(await stagingTables()).toEqual(expect.arrayContaining([table, `${table}_rejected`]));
      // The import's process dies: its lock goes with its connection.
      await live.query("select pg_advisory_unlock_all()");
      expect(await sweepStagingTables(h.db)).toContain(table);
      expect(await stagingTables()).not.toContain(`${table}_rejected`);
    } finally {
      await live.query(`drop table if exists ${table}, ${table}_rejected`);
      live.release();
    }
  });
});

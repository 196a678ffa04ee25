import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { leads } from "@/server/db/schema";
import { collectRejectedRows, readRejectedRows } from "@/server/services/leads-import/duplicates";
import { compileMapping } from "@/server/services/leads-import/mapping";
import { leadMerger, mergeByPages, mergeMaybeDuplicates } from "@/server/services/leads-import/merge";
import { rejectedWriter } from "@/server/services/leads-import/rejected-rows";
import { stageFile } from "@/server/services/leads-import/stage-file";
import { rowChecker } from "@/server/services/leads-import/stage-row";
import {
  createStagingSql,
  EmailHashSet,
  lockStagingTable,
  openStagingSession,
  type StagingSession,
} from "@/server/services/leads-import/staging";
import { getStorage, resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/** Each step of the import on a real database, one at a time (the whole import: leads-import.test.ts). */
const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-import-steps-"));
const saved = { DATA_DIR: process.env.DATA_DIR, S3_BUCKET: process.env.S3_BUCKET };
beforeAll(() => {
  process.env.DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  resetEnvCache();
  resetStorage();
});
afterAll(() => {
  if (saved.DATA_DIR === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = saved.DATA_DIR;
  if (saved.S3_BUCKET !== undefined) process.env.S3_BUCKET = saved.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const t = await twoWorkspaces(h.db);

const CSV = [
  "Email,Name,Tags",
  "a@example.com,Ada,x",
  "bad-email,Bob,",
  "",
  "b@example.com,Bea,y;z",
  "A@example.com,Ada again,",
  "c@example.com,Cy,",
].join("\n");

/** A staging session with the file staged; dropped after `use`. */
async function withStaged<T>(
  use: (s: StagingSession, table: string, staged: Awaited<ReturnType<typeof stageFile>>) => Promise<T>,
) {
  const session = await openStagingSession(h.db);
  const table = `leads_import_${randomUUID().replaceAll("-", "")}`;
  try {
    // Held like a running import's, so another test file's sweep leaves the table alone.
    if (session.tables === "unlogged") await lockStagingTable(session, table);
    await session.query(createStagingSql(table, session.tables));
    const seen = new EmailHashSet();
    const batches: number[] = [];
    const staged = await stageFile({
      session,
      table,
      stream: Readable.from([Buffer.from(CSV)]),
      delimiter: ",",
      onHeaders: (headers) =>
        rowChecker({
          mapping: compileMapping(headers, { email: "Email", name: "Name", tags: "Tags" }, []),
          defs: [],
          applyTags: [],
          defaultSource: "import",
          seen,
        }),
      onBatch: async (bytes) => {
        batches.push(bytes);
      },
      pipeline: null,
    });
    expect(batches.at(-1)).toBe(Buffer.byteLength(CSV));
    return await use(session, table, staged);
  } finally {
    await session.query(`drop table if exists ${table}, ${table}_rejected`);
    await session.release();
  }
}

describe("stage-file", () => {
  it("stages every data row (blank lines skipped) with its file line, counting the invalid ones", async () => {
    await withStaged(async (session, table, staged) => {
      expect(staged).toEqual({ headers: ["Email", "Name", "Tags"], total: 5, invalid: 1 });
      const rows = await session.query<{ row: number; email: string | null; reason: string | null }>(
        `select row, email, reason from ${table} order by row`,
      );
      expect(rows.map((r) => [r.row, r.email, r.reason !== null])).toEqual([
        [2, "a@example.com", false],
        [3, null, true],
        [5, "b@example.com", false],
        [6, "a@example.com", false],
        [7, "c@example.com", false],
      ]);
    });
  });
});

describe("duplicates", () => {
  it("collects the invalid rows and the repeats of an earlier valid email, in file order", async () => {
    await withStaged(async (session, table) => {
      const rejTable = `${table}_rejected`;
      expect(await collectRejectedRows(session, table, rejTable)).toBe(1);
      const rejected = [];
      for await (const r of readRejectedRows(session, rejTable, 1)) rejected.push(r);
      expect(rejected.map((r) => [r.row, r.reason])).toEqual([
        [3, expect.stringMatching(/email/i)],
        [6, "Duplicate of row 2"],
      ]);
      expect(rejected[1]!.cells).toEqual(["A@example.com", "Ada again", ""]);
    });
  });
});

describe("merge", () => {
  it("merges the plain rows by pages, then the possible repeats that were not, counting inserts", async () => {
    await withStaged(async (session, table) => {
      const rejTable = `${table}_rejected`;
      await collectRejectedRows(session, table, rejTable);
      const counts = { imported: 0, updated: 0 };
      const merge = leadMerger({ table, workspaceId: t.ws.id, policy: "skip", counts });
      const steps: [number, number][] = [];
      await mergeByPages(session, table, 1, merge, async (done, chunks) => {
        steps.push([done, chunks]);
      });
      expect(steps.at(-1)![0]).toBe(steps.at(-1)![1]);
      await mergeMaybeDuplicates(session, rejTable, merge);
      expect(counts).toEqual({ imported: 3, updated: 0 });
      const stored = await h.db
        .select({ email: leads.email, name: leads.name, tags: leads.tags, source: leads.source })
        .from(leads)
        .where(eq(leads.workspaceId, t.ws.id));
      expect(stored.sort((a, b) => a.email.localeCompare(b.email))).toEqual([
        { email: "a@example.com", name: "Ada", tags: ["x"], source: "import" },
        { email: "b@example.com", name: "Bea", tags: ["y", "z"], source: "import" },
        { email: "c@example.com", name: "Cy", tags: [], source: "import" },
      ]);
      // Only the workspace it was given.
      expect(await h.db.select().from(leads).where(eq(leads.workspaceId, t.other.id))).toEqual([]);
    });
  });

  it("with update, merging again updates instead of inserting", async () => {
    await withStaged(async (session, table) => {
      await collectRejectedRows(session, table, `${table}_rejected`);
      const counts = { imported: 0, updated: 0 };
      const merge = leadMerger({ table, workspaceId: t.ws.id, policy: "update", counts });
      await mergeByPages(session, table, 100, merge, async () => {});
      expect(counts).toEqual({ imported: 0, updated: 3 });
      const [a] = await h.db
        .select()
        .from(leads)
        .where(and(eq(leads.workspaceId, t.ws.id), eq(leads.email, "a@example.com")));
      expect(a!.name).toBe("Ada");
    });
  });
});

describe("rejected-rows", () => {
  const read = async (key: string) => {
    const { stream } = await getStorage().getStream(key);
    const parts: Buffer[] = [];
    for await (const p of stream) parts.push(p as Buffer);
    return Buffer.concat(parts).toString("utf8");
  };

  it("writes the original columns, then row and reason, with a BOM", async () => {
    const key = `leads-import/${t.ws.id}/${randomUUID()}-rejected.csv`;
    const w = rejectedWriter(key, ["Email", "Name"]);
    await w.write(["bad", "Bob, Jr.", "extra"], 3, "Not an email");
    await w.write(["short"], 9, "Duplicate of row 2");
    expect(await w.finish()).toBe(true);
    const text = await read(key);
    expect(text.startsWith("\uFEFF")).toBe(true);
    expect(parse(text.slice(1))).toEqual([
      ["Email", "Name", "row", "reason"],
      ["bad", "Bob, Jr.", "3", "Not an email"],
      ["short", "", "9", "Duplicate of row 2"],
    ]);
  });

  it("writes nothing when no row was rejected, and abort deletes a started file", async () => {
    const empty = rejectedWriter(`leads-import/${t.ws.id}/${randomUUID()}-rejected.csv`, ["Email"]);
    expect(await empty.finish()).toBe(false);
    const key = `leads-import/${t.ws.id}/${randomUUID()}-rejected.csv`;
    const w = rejectedWriter(key, ["Email"]);
    await w.write(["x"], 2, "Not an email");
    await w.abort();
    await expect(getStorage().getStream(key)).rejects.toThrow();
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { getJobRun } from "@/server/services/jobs";
import { handleImportUpload, handleRejectedDownload } from "@/server/services/leads-import/http";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/**
 * Issue #12 item 11: the import's rejected-rows CSV wrote the uploaded cells back as they came, so a
 * cell like =HYPERLINK(…) ran as a formula when the user opened the file to fix it.
 */
const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-csv-formulas-"));
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

describe("the import's rejected rows CSV", () => {
  it("neutralises every cell a spreadsheet would run as a formula, the header included", async () => {
    const csv = [
      "Email,Name,Phone,@Note",
      '"=HYPERLINK(""http://evil.test"",""click"")",+1,-2,@x',
      'not-an-email,"\tcmd","\rcmd",plain',
      "ok@example.test,Fine,,",
    ].join("\n");
    const up = await handleImportUpload({
      db: h.db,
      user: t.owner,
      workspaceId: t.ws.id,
      file: { body: Buffer.from(csv), name: "list.csv" },
    });
    expect(up.status).toBe(201);
    const { uploadId } = (await up.json()) as { uploadId: string };
    const api = callerFor(h.db, t.owner);
    const preview = await api.leadsImport.preview({ workspaceId: t.ws.id, uploadId });
    const { jobId } = await api.leadsImport.start({
      workspaceId: t.ws.id,
      uploadId,
      mapping: { ...preview.suggestedMapping, email: "Email", name: "Name" },
      policy: "skip",
      tags: [],
    });
    await h.queue.drain(20_000);
    const run = await getJobRun(h.db, t.ws.id, jobId);
    expect(run.status).toBe("succeeded");

    const res = await handleRejectedDownload({ db: h.db, user: t.owner, workspaceId: t.ws.id, jobId });
    expect(res.status).toBe(200);
    const rows = parse((await res.text()).replace(/^\uFEFF/, ""), { relax_quotes: true }) as string[][];
    expect(rows[0]).toEqual(["Email", "Name", "Phone", "'@Note", "row", "reason"]);
    expect(rows[1]!.slice(0, 5)).toEqual([
      `'=HYPERLINK("http://evil.test","click")`,
      "'+1",
      "'-2",
      "'@x",
      "2",
    ]);
    expect(rows[2]!.slice(0, 5)).toEqual(["not-an-email", "'\tcmd", "'\rcmd", "plain", "3"]);
    expect(rows).toHaveLength(3);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { customFieldDefinitions, jobRuns, leads } from "@/server/db/schema";
import { getJobRun } from "@/server/services/jobs";
import { handleImportUpload } from "@/server/services/leads-import/http";
import type { StartImportInput } from "@/server/services/leads-import/schemas";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

// Columns left unmatched are kept as custom fields (or ignored, and said so) — issue 15, point 12.
const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-import-keep-"));
const saved = { DATA_DIR: process.env.DATA_DIR, FILE_STORAGE: process.env.FILE_STORAGE };

beforeAll(() => {
  process.env.DATA_DIR = dataDir;
  process.env.FILE_STORAGE = "local";
  resetEnvCache();
  resetStorage();
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const t = await twoWorkspaces(h.db);
const CSV = [
  "Email,Name,Company,Seats,Joined,Notes",
  "ada@keep.test,Ada,Analytical Engines,12,2026-01-02,call back",
  "bob@keep.test,Bob,Babbage & Co,3,2026-02-03,",
].join("\n");

async function uploadId(csv: string, workspaceId = t.ws.id) {
  const res = await handleImportUpload({
    db: h.db,
    user: t.owner,
    workspaceId,
    file: { body: Buffer.from(csv), name: "list.csv" },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { uploadId: string }).uploadId;
}

async function start(csv: string, mapping: StartImportInput["mapping"], workspaceId = t.ws.id) {
  const api = callerFor(h.db, t.owner);
  const started = await api.leadsImport.start({ workspaceId, uploadId: await uploadId(csv), mapping });
  await h.queue.drain(20_000);
  const run = await getJobRun(h.db, workspaceId, started.jobId);
  expect(run.error).toBeNull();
  expect(run.status).toBe("succeeded");
  return started;
}

async function fields(workspaceId: string) {
  return h.db
    .select({
      key: customFieldDefinitions.key,
      label: customFieldDefinitions.label,
      type: customFieldDefinitions.type,
    })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.workspaceId, workspaceId));
}

async function lead(email: string, workspaceId = t.ws.id) {
  const [row] = await h.db
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.email, email)));
  return row;
}

/** This file's two workspaces' import runs, field definitions and leads (other files share PostgreSQL). */
async function state() {
  const mine = [t.ws.id, t.other.id];
  const [runs] = await h.db.select({ n: count() }).from(jobRuns).where(inArray(jobRuns.workspaceId, mine));
  const [defs] = await h.db
    .select({ n: count() })
    .from(customFieldDefinitions)
    .where(inArray(customFieldDefinitions.workspaceId, mine));
  const [rows] = await h.db.select({ n: count() }).from(leads).where(inArray(leads.workspaceId, mine));
  return { runs: runs!.n, defs: defs!.n, leads: rows!.n };
}

describe("columns kept as custom fields", () => {
  it("creates a field per kept column, stores the values, and leaves the ignored column out", async () => {
    const started = await start(CSV, {
      email: "Email",
      name: "Name",
      keep: [
        { header: "Company", label: "Company" },
        { header: "Seats", label: "Seats", type: "number" },
        { header: "Joined", label: "Joined", type: "date" },
      ],
    });
    expect(started.ignored).toEqual(["Notes"]);
    expect(started.createdFields.sort()).toEqual(["company", "joined", "seats"]);
    expect((await fields(t.ws.id)).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "company", label: "Company", type: "text" },
      { key: "joined", label: "Joined", type: "date" },
      { key: "seats", label: "Seats", type: "number" },
    ]);
    expect((await lead("ada@keep.test"))?.customFields).toEqual({
      company: "Analytical Engines",
      seats: 12,
      joined: "2026-01-02",
    });
    expect((await lead("bob@keep.test"))?.customFields).toEqual({
      company: "Babbage & Co",
      seats: 3,
      joined: "2026-02-03",
    });
    // The other workspace got no field.
    expect(await fields(t.other.id)).toEqual([]);
  });

  it("reuses the workspace's field with the same key instead of creating another", async () => {
    const api = callerFor(h.db, t.otherOwner);
    await api.leads.fields.create({ workspaceId: t.other.id, label: "Company", type: "text" });
    await api.leads.fields.update({
      workspaceId: t.other.id,
      id: (await api.leads.fields.list({ workspaceId: t.other.id }))[0]!.id,
      label: "Organisation",
    });
    const csv = "email,Company\ncy@reuse.test,Initech\n";
    const other = callerFor(h.db, t.otherOwner);
    const started = await other.leadsImport.start({
      workspaceId: t.other.id,
      uploadId: await uploadIdFor(csv, t.other.id),
      mapping: { email: "email", keep: [{ header: "Company", label: "Company", type: "number" }] },
    });
    await h.queue.drain(20_000);
    expect((await getJobRun(h.db, t.other.id, started.jobId)).status).toBe("succeeded");
    expect(started).toMatchObject({ createdFields: [], ignored: [] });
    expect(await fields(t.other.id)).toEqual([{ key: "company", label: "Organisation", type: "text" }]);
    expect((await lead("cy@reuse.test", t.other.id))?.customFields).toEqual({ company: "Initech" });
  });

  it("an ignored column is neither stored nor made a field", async () => {
    const before = (await fields(t.ws.id)).length;
    const started = await start("email,Favourite colour\ndee@ignore.test,teal\n", { email: "email" });
    expect(started).toMatchObject({ createdFields: [], ignored: ["Favourite colour"] });
    expect((await fields(t.ws.id)).length).toBe(before);
    expect((await lead("dee@ignore.test"))?.customFields).toEqual({});
  });

  it("refuses bad kept columns with BAD_REQUEST and changes nothing", async () => {
    const api = callerFor(h.db, t.owner);
    const id = await uploadId("email,Company!,Company?\neve@bad.test,A,B\n");
    const before = await state();
    const bad: StartImportInput["mapping"][] = [
      { email: "email", keep: [{ header: "Missing", label: "Missing" }] },
      { email: "email", keep: [{ header: "email", label: "Email copy" }] },
      {
        email: "email",
        keep: [
          { header: "Company!", label: "Company!" },
          { header: "Company?", label: "Company?" },
        ],
      },
      { email: "email", keep: [{ header: "Company!", label: "  " }] },
      { email: "email", keep: [{ header: "Company!", label: "X", type: "select" as "text" }] },
      { email: "email", keep: [{ header: "Company!", label: "x".repeat(121) }] },
    ];
    for (const mapping of bad) {
      await expect(
        api.leadsImport.start({ workspaceId: t.ws.id, uploadId: id, mapping }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    // A field that another column already fills.
    await expect(
      api.leadsImport.start({
        workspaceId: t.ws.id,
        uploadId: id,
        mapping: {
          email: "email",
          custom: { company: "Company?" },
          keep: [{ header: "Company!", label: "Company" }],
        },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await state()).toEqual(before);
  });

  it("another workspace cannot start an import of this upload, and nothing is created", async () => {
    const id = await uploadId(CSV);
    const before = await state();
    await expect(
      callerFor(h.db, t.otherOwner).leadsImport.start({
        workspaceId: t.other.id,
        uploadId: id,
        mapping: { email: "Email", keep: [{ header: "Company", label: "Company" }] },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, t.otherOwner).leadsImport.start({
        workspaceId: t.ws.id,
        uploadId: id,
        mapping: { email: "Email", keep: [{ header: "Company", label: "Company" }] },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await state()).toEqual(before);
  });
});

async function uploadIdFor(csv: string, workspaceId: string) {
  const res = await handleImportUpload({
    db: h.db,
    user: t.otherOwner,
    workspaceId,
    file: { body: Buffer.from(csv), name: "list.csv" },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { uploadId: string }).uploadId;
}

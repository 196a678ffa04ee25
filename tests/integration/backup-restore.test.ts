import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { createContent, getContentOrThrow } from "@/server/services/content/content";
import { createContentInput } from "@/server/services/content/schemas";
import { systemActor } from "@/server/services/context";
import { countLeads, createLead, listLeads } from "@/server/services/leads/leads";
import { listLeadsInput } from "@/server/services/leads/schemas";
import { createWorkspace } from "@/server/services/workspaces";
import { runCli, withDatabase } from "../helpers/cli-process";
import { seedEmbeddedDataDir } from "../helpers/db";
import { createUser } from "../helpers/fixtures";
import { scratchDatabase } from "../helpers/scratch-db";

/*
 * `backup` then `restore` through the real CLI, for both engines: data made through the services, a
 * backup, a restore into a fresh database (or data folder), and the same data read back through the
 * services. Restoring over a database that holds data is refused unless --force.
 */

const SECRET = { BETTER_AUTH_SECRET: "backup-test-secret-backup-test-secret-0" };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "organic-backup-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A workspace with two leads and a blog draft, made through the services. */
async function makeData(db: Db) {
  const owner = await createUser(db, { name: "Backup Owner" });
  const ws = await createWorkspace({ db, actor: systemActor, ownerId: owner.id }, { name: "Backed Up" });
  const ctx = { db, actor: systemActor, workspaceId: ws.id };
  for (const email of ["ada@example.test", "grace@example.test"]) {
    await createLead(ctx, { email, status: "active", tags: ["vip"], customFields: {} });
  }
  const post = await createContent(
    ctx,
    createContentInput.parse({ type: "blog", title: "Kept through a restore", body: "Hello" }),
  );
  return { workspaceId: ws.id, contentId: post.id };
}

/** What the services read back: the leads' addresses and tags, and the post's title and body. */
async function readBack(db: Db, ids: { workspaceId: string; contentId: string }) {
  const page = await listLeads(db, ids.workspaceId, listLeadsInput.parse({ sort: "email", order: "asc" }));
  const total = await countLeads(db, ids.workspaceId, {});
  const post = await getContentOrThrow(db, ids.workspaceId, ids.contentId);
  return {
    leads: page.items.map((l) => ({ email: l.email, tags: l.tags })),
    total,
    post: { title: post.title, body: post.body, type: post.type },
  };
}

const EXPECTED = {
  leads: [
    { email: "ada@example.test", tags: ["vip"] },
    { email: "grace@example.test", tags: ["vip"] },
  ],
  total: 2,
  post: { title: "Kept through a restore", body: "Hello", type: "blog" },
};

describe("backup and restore, embedded (PGlite's data-folder dump)", () => {
  const source = { DATABASE_URL: "", DATA_DIR: path.join(tmp, "source"), ...SECRET };
  const target = { DATABASE_URL: "", DATA_DIR: path.join(tmp, "target"), ...SECRET };
  const file = path.join(tmp, "embedded.tar.gz");
  let ids: { workspaceId: string; contentId: string };

  it("backs up, restores into a fresh data folder, and the services read the same data", {
    timeout: 300_000,
  }, async () => {
    await seedEmbeddedDataDir(source.DATA_DIR);
    ids = await withDatabase(source, (h) => makeData(h.db));
    const backup = await runCli(["backup", "--out", file, "--json"], source);
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ ok: true, format: "pglite", file });
    expect(fs.statSync(file).size).toBeGreaterThan(0);

    // Into a folder with no database yet (not even the folder): none is made before the file is
    // read, and a broken file leaves nothing behind.
    const broken = path.join(tmp, "broken-new.tar.gz");
    fs.writeFileSync(broken, "not a backup");
    const bad = await runCli(["restore", "--in", broken], target);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("is not a PGlite backup");
    expect(fs.existsSync(path.join(target.DATA_DIR, "pgdata"))).toBe(false);

    const restore = await runCli(["restore", "--in", file, "--json"], target);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({
      ok: true,
      format: "pglite",
      database: `embedded PGlite in ${target.DATA_DIR}`,
      replaced: { workspaces: 0, users: 0 },
    });
    expect(await withDatabase(target, (h) => readBack(h.db, ids))).toEqual(EXPECTED);
  });

  it("refuses to restore over a data folder with data unless --force, and a broken file changes nothing", {
    timeout: 300_000,
  }, async () => {
    const refused = await runCli(["restore", "--in", file], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty \(1 workspace\(s\), 1 user\(s\)\).*--force/);

    const broken = path.join(tmp, "broken.tar.gz");
    fs.writeFileSync(broken, "not a backup");
    const bad = await runCli(["restore", "--in", broken, "--force"], target);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("is not a PGlite backup");
    expect(await withDatabase(target, (h) => readBack(h.db, ids))).toEqual(EXPECTED);

    const forced = await runCli(["restore", "--in", file, "--force", "--json"], target);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).replaced).toEqual({ workspaces: 1, users: 1 });
    expect(await withDatabase(target, (h) => readBack(h.db, ids))).toEqual(EXPECTED);
  });
});

const baseUrl = process.env.DATABASE_URL;

describe.skipIf(!baseUrl)(
  "backup and restore, PostgreSQL (pg_dump custom format; needs DATABASE_URL)",
  () => {
    const databases = [scratchDatabase("bk_src"), scratchDatabase("bk_dst")];
    const source = { DATABASE_URL: databases[0]!.url, DATA_DIR: path.join(tmp, "pg"), ...SECRET };
    const target = { DATABASE_URL: databases[1]!.url, DATA_DIR: path.join(tmp, "pg"), ...SECRET };
    const file = path.join(tmp, "organic.dump");
    afterAll(async () => {
      for (const db of databases) await db.drop();
    });

    it("backs up, restores into a fresh database, and the services read the same data", {
      timeout: 300_000,
    }, async () => {
      for (const db of databases) await db.create();
      const ids = await withDatabase(source, (h) => makeData(h.db));
      const backup = await runCli(["backup", "--out", file, "--json"], source);
      expect(backup.code, backup.stderr).toBe(0);
      expect(JSON.parse(backup.stdout)).toMatchObject({ ok: true, format: "pg_dump", file });
      // pg_dump's custom format starts with the magic "PGDMP".
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("PGDMP");

      const restore = await runCli(["restore", "--in", file, "--json"], target);
      expect(restore.code, restore.stderr).toBe(0);
      expect(await withDatabase(target, (h) => readBack(h.db, ids))).toEqual(EXPECTED);

      const refused = await runCli(["restore", "--in", file], target);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/is not empty \(1 workspace\(s\), 1 user\(s\)\).*--force/);

      const notOurs = await runCli(["restore", "--in", path.join(tmp, "embedded.tar.gz"), "--force"], target);
      expect(notOurs.code).toBe(1);
      expect(notOurs.stderr).toContain("is not a pg_dump custom-format archive");

      // Forced: the target is replaced by the backup (a lead added since is gone).
      await withDatabase(target, (h) =>
        createLead(
          { db: h.db, actor: systemActor, workspaceId: ids.workspaceId },
          {
            email: "added-later@example.test",
            status: "active",
            tags: [],
            customFields: {},
          },
        ),
      );
      const forced = await runCli(["restore", "--in", file, "--force"], target);
      expect(forced.code, forced.stderr).toBe(0);
      expect(await withDatabase(target, (h) => readBack(h.db, ids))).toEqual(EXPECTED);
    });
  },
);

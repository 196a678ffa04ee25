import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build, type PluginBuild } from "esbuild";
import type { TestProject } from "vitest/node";
import { serverBuildOptions } from "@/scripts/server-build-options.mjs";
import { migrationsFolder, openDb } from "@/server/db";
import { openMemoryDb, PGLITE_CONF } from "@/server/db/pglite";
import { FIXTURES } from "./fixture-entries";

declare module "vitest" {
  interface ProvidedContext {
    /** Without DATABASE_URL: a migrated PGlite data directory (a tarball) each file starts from. */
    pgliteTemplate: string | null;
    /** The worker and the CLI built as production builds them (tests/helpers/server-build.ts). */
    serverBuild: string;
  }
}

/**
 * With DATABASE_URL (CI, scale-out runs) the suite shares one PostgreSQL database: migrate it once
 * here. Without it each test file gets its own in-memory PGlite, started from a data directory
 * migrated once (PGlite's initdb and the migrations are most of a fresh database's cost) and kept
 * for the next runs (migratedTemplate).
 * Either way, say which.
 */
export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, "../..");
  // Inside the repository, so the build's packages resolve from its node_modules.
  const buildDir = fs.mkdtempSync(path.join(root, "node_modules", ".organic-test-build-"));
  await build(serverBuildOptions(root, buildDir));
  // The test fixtures that run as processes of their own, built the same way (tsx compiled each
  // start's imports anew: seconds of CPU a start).
  const fixtureOptions = serverBuildOptions(root, path.join(buildDir, "fixtures"));
  await build({
    ...fixtureOptions,
    entryPoints: { ...FIXTURES },
    // proxy.ts imports "next/server", which Node's ESM loader finds only by its file name (Next's
    // package maps no subpaths); Next's own bundler resolves it for the app.
    plugins: [
      ...(fixtureOptions.plugins ?? []),
      {
        name: "next-server-file",
        setup(b: PluginBuild) {
          b.onResolve({ filter: /^next\/server$/ }, () => ({ path: "next/server.js", external: true }));
        },
      },
    ],
  });
  project.provide("serverBuild", buildDir);
  const removeBuild = () => fs.rmSync(buildDir, { recursive: true, force: true });
  const pg = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  console.log(
    `\n[organic tests] database: ${pg ? `PostgreSQL (${new URL(pg).pathname.slice(1)})` : "PGlite in memory"}; ` +
      `jobs: ${redis ? "BullMQ on Redis" : "in-process runner"}` +
      (redis ? "" : " — tests that need Redis are skipped (set REDIS_URL to run them)") +
      "\n",
  );
  if (pg) {
    const handle = await openDb();
    await handle.migrate();
    await handle.close();
    project.provide("pgliteTemplate", null);
    return removeBuild;
  }
  project.provide("pgliteTemplate", await migratedTemplate(root));
  return removeBuild;
}

/**
 * The migrated PGlite data directory (a tarball), made once and kept in node_modules/.cache for the
 * next run while nothing it is made from changes: PGlite's initdb and the migrations are about 5 s
 * at the start of every run, before any file can start. Named by a hash of the migrations (every
 * file), PGlite's version and the settings every PGlite opens with. A new one removes those not
 * used for an hour (a run of another checkout may still be reading a recent one).
 */
async function migratedTemplate(root: string): Promise<string> {
  const migrations = migrationsFolder();
  const hash = createHash("sha256");
  hash.update(JSON.stringify(PGLITE_CONF));
  hash.update(fs.readFileSync(path.join(root, "node_modules/@electric-sql/pglite/package.json")));
  for (const name of fs.readdirSync(migrations, { recursive: true, encoding: "utf8" }).sort()) {
    const file = path.join(migrations, name);
    if (fs.statSync(file).isFile()) hash.update(name).update(fs.readFileSync(file));
  }
  const dir = path.join(root, "node_modules", ".cache", "organic-tests");
  const file = path.join(dir, `pglite-template-${hash.digest("hex").slice(0, 16)}.tar`);
  if (fs.existsSync(file)) {
    const now = new Date();
    fs.utimesSync(file, now, now); // in use: not removed as stale by another checkout's run
    return file;
  }
  const handle = openMemoryDb();
  await handle.migrate();
  const dump = await handle.pglite!.dumpDataDir("none");
  await handle.close();
  fs.mkdirSync(dir, { recursive: true });
  for (const old of fs.readdirSync(dir)) {
    const stale = path.join(dir, old);
    if (Date.now() - fs.statSync(stale).mtimeMs > 3_600_000) fs.rmSync(stale, { force: true });
  }
  // Written whole, then renamed: a run started meanwhile never reads half a file.
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
  return file;
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build, type PluginBuild } from "esbuild";
import type { TestProject } from "vitest/node";
import { serverBuildOptions } from "@/scripts/server-build-options.mjs";
import { openDb } from "@/server/db";
import { openMemoryDb } from "@/server/db/pglite";
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
 * migrated once here (PGlite's initdb and the migrations are most of a fresh database's cost).
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
  const handle = openMemoryDb();
  await handle.migrate();
  const dump = await handle.pglite!.dumpDataDir("none");
  await handle.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-test-pglite-"));
  const file = path.join(dir, "migrated.tar");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  return () => {
    removeBuild();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

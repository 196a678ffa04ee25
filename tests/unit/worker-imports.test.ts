import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/*
 * Issue 16 item 2: the worker's memory at rest is mostly the packages it loads at start. Those few
 * jobs need (a bounce mailbox's IMAP client and mail parser, MJML for block emails) load on first
 * use instead. The worker is bundled as `npm run build` bundles it (scripts/build-server.mjs), and
 * its static import graph is read from esbuild's metafile.
 */
async function staticPackages(entry: string): Promise<Set<string>> {
  const result = await build({
    absWorkingDir: process.cwd(),
    entryPoints: [entry],
    bundle: true,
    write: false,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    conditions: ["react-server"],
    outdir: "dist-test-unused",
    metafile: true,
    logLevel: "silent",
  });
  const inputs = result.metafile.inputs;
  const seen = new Set([entry]);
  const queue = [entry];
  const packages = new Set<string>();
  while (queue.length) {
    for (const imp of inputs[queue.shift()!]?.imports ?? []) {
      if (imp.kind === "dynamic-import") continue;
      if (imp.external) packages.add(imp.path);
      else if (!seen.has(imp.path)) {
        seen.add(imp.path);
        queue.push(imp.path);
      }
    }
  }
  return packages;
}

describe("the worker's start-up imports", () => {
  it("load the queue, database and mail packages, not those only a few jobs use", async () => {
    const packages = await staticPackages("server/worker.ts");
    for (const needed of ["bullmq", "pg", "drizzle-orm", "nodemailer"])
      expect(packages, needed).toContain(needed);
    for (const lazy of ["imapflow", "mailparser", "mjml", "@aws-sdk/client-s3", "better-auth"])
      expect(packages, lazy).not.toContain(lazy);
  }, 60_000);
});

import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { latin1Source, serverBuildOptions } from "@/scripts/server-build-options.mjs";
import { staticPackages } from "../helpers/static-imports";

/*
 * Issue 16 item 2: the worker's memory at rest is mostly the packages it loads at start. Those few
 * jobs need (a bounce mailbox's IMAP client and mail parser, MJML for block emails) load on first
 * use instead. The worker is bundled as `npm run build` bundles it (scripts/server-build-options.mjs),
 * and its static import graph is read from esbuild's metafile.
 */
async function bundle() {
  return build({
    ...serverBuildOptions(process.cwd(), "dist-test-unused"),
    entryPoints: ["server/worker.ts"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
}

async function workerPackages(entry: string): Promise<Set<string>> {
  return staticPackages((await bundle()).metafile!.inputs, entry);
}

describe("the worker's start-up imports", () => {
  it("load the queue, database and mail packages, not those only a few jobs use", async () => {
    const packages = await workerPackages("server/worker.ts");
    for (const needed of ["bullmq", "pg", "drizzle-orm", "nodemailer"])
      expect(packages, needed).toContain(needed);
    for (const lazy of ["imapflow", "mailparser", "mjml", "@aws-sdk/client-s3", "better-auth"])
      expect(packages, lazy).not.toContain(lazy);
  }, 60_000);

  it("take juice's parser alone (cheerio/slim), not cheerio's entry with parse5 and undici", async () => {
    const packages = await workerPackages("server/worker.ts");
    expect(packages).toContain("cheerio/slim");
    for (const unused of ["cheerio", "parse5", "undici"]) expect(packages, unused).not.toContain(unused);
  }, 60_000);

  it("are written in Latin-1, so V8 keeps each source at one byte per character", async () => {
    const result = await bundle();
    const wide = result.outputFiles!.filter((f) => f.path.endsWith(".mjs") && /[^\0-\xff]/.test(f.text));
    // esbuild leaves some (comments it keeps, regular expressions); the build escapes them.
    expect(wide.length).toBeGreaterThan(0);
    for (const f of wide) expect(latin1Source(f.text)).not.toMatch(/[^\0-\xff]/);
    // The escape means the same character where it matters: in a regular expression.
    const pattern = latin1Source("/[.!?\u2026]$/");
    expect(pattern).toBe("/[.!?\\u2026]$/");
    expect(new Function(`return ${pattern}`)().test("to be continued\u2026")).toBe(true);
  }, 60_000);
});

import fs from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { serverBuildOptions } from "@/scripts/server-build-options.mjs";
import { staticPackages } from "../helpers/static-imports";

/*
 * A command's flags are checked before it runs (cli/index.ts loads the command's module, parses its
 * flags, then runs it), so a command module imports statically only what its flag schema needs: a
 * mistyped flag is answered in about half a second, not after the app, its database client and auth
 * have loaded (2.8 s for create-user before). The static import graph is read from esbuild's
 * metafile, bundled as `npm run build` bundles the CLI.
 */
const COMMANDS = fs
  .readdirSync("cli/commands")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => `cli/commands/${f}`);

const APP_PACKAGES = ["pg", "@electric-sql/pglite", "better-auth", "bullmq", "ioredis", "pino", "nodemailer"];

describe("the CLI's command modules", () => {
  it("load none of the app's database, auth, queue or logging packages before their flags are checked", async () => {
    const result = await build({
      ...serverBuildOptions(process.cwd(), "dist-test-unused"),
      entryPoints: COMMANDS,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = result.metafile!.inputs;
    expect(COMMANDS.length).toBeGreaterThanOrEqual(10);
    for (const entry of COMMANDS) {
      const packages = staticPackages(inputs, entry);
      expect(packages, entry).toContain("zod");
      for (const heavy of APP_PACKAGES) expect(packages, `${entry} imports ${heavy}`).not.toContain(heavy);
    }
  }, 60_000);
});

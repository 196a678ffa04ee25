import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALLOWLIST, checkEnvReads } from "@/scripts/check-env-reads";
import { sourceFiles } from "@/scripts/check-sizes";

const root = path.join(import.meta.dirname, "../..");

describe("check-env-reads", () => {
  it("fails a direct process.env read outside the allowlist, wherever it is in app code", () => {
    const report = checkEnvReads(
      [
        {
          file: "server/services/x.ts",
          text: 'import a from "a";\nconst n = Number(process.env.X_LIMIT ?? 3);\n',
        },
        { file: "app/api/y/route.ts", text: "const e = process.env;\n" },
        { file: "lib/env.ts", text: "Object.entries(process.env)\n" },
        { file: "server/z.ts", text: "// process.env.X is read in lib/env.ts\n * process.env.Y\n" },
      ],
      { "lib/env.ts": "the one place" },
    );
    expect(report.violations).toEqual([
      { file: "server/services/x.ts", line: 2, text: "const n = Number(process.env.X_LIMIT ?? 3);" },
      { file: "app/api/y/route.ts", line: 1, text: "const e = process.env;" },
    ]);
    expect(report.stale).toEqual([]);
  });

  it("skips tests, benchmarks, scripts and tool configs; an allowlist entry that no longer reads is stale", () => {
    const report = checkEnvReads(
      [
        { file: "scripts/next.mjs", text: "process.env.PORT" },
        { file: "bench/run.ts", text: "process.env.DATABASE_URL" },
        { file: "next.config.ts", text: "process.env.NEXT_OUTPUT" },
        { file: "vitest.config.ts", text: "process.env.LOG_LEVEL" },
        { file: "server/clean.ts", text: 'import { env } from "@/lib/env";\n' },
      ],
      { "server/clean.ts": "used to read one" },
    );
    expect(report.violations).toEqual([]);
    expect(report.stale).toEqual(["server/clean.ts"]);
  });

  it("holds for this repository", () => {
    const files = sourceFiles(root).map((file) => ({
      file,
      text: fs.readFileSync(path.join(root, file), "utf8"),
    }));
    expect(checkEnvReads(files, ALLOWLIST)).toEqual({ violations: [], stale: [] });
  });
});

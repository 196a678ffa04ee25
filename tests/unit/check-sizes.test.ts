import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALLOWLIST, checkSizes, countLines, sourceFiles } from "@/scripts/check-sizes";

describe("check-sizes", () => {
  it("counts lines as wc -l does, a last line without newline included", () => {
    expect(countLines("")).toBe(0);
    expect(countLines("a\nb\n")).toBe(2);
    expect(countLines("a\nb")).toBe(2);
  });

  it("500 lines for files, 300 for components; the allowlist excuses, and an entry within its limit is stale", () => {
    const report = checkSizes(
      [
        { file: "server/a.ts", lines: 500 },
        { file: "server/b.ts", lines: 501 },
        { file: "components/c.tsx", lines: 301 },
        { file: "components/d.tsx", lines: 400 },
        { file: "components/e.tsx", lines: 120 },
      ],
      { "components/d.tsx": "later", "components/e.tsx": "was long", "lib/gone.ts": "deleted" },
    );
    expect(report.violations.map((v) => v.file)).toEqual(["server/b.ts", "components/c.tsx"]);
    expect(report.allowed.map((v) => v.file)).toEqual(["components/d.tsx"]);
    expect(report.stale).toEqual(["components/e.tsx", "lib/gone.ts"]);
  });

  it("walks the source folders and root files, skipping migrations, node_modules and non-code", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "organic-sizes-"));
    try {
      const write = (f: string) => {
        fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
        fs.writeFileSync(path.join(root, f), "x\n");
      };
      for (const f of [
        "proxy.ts",
        "app/page.tsx",
        "server/db/migrations/0001.ts",
        "server/x/node_modules/y.ts",
        "lib/readme.md",
        "tests/a.test.ts",
        "scripts/next.mjs",
      ])
        write(f);
      expect(sourceFiles(root)).toEqual(["app/page.tsx", "proxy.ts", "scripts/next.mjs"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("every allowlist entry says why", () => {
    for (const reason of Object.values(ALLOWLIST)) expect(reason.length).toBeGreaterThan(10);
  });
});

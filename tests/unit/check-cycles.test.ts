import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles } from "@/scripts/check-cycles";

/** A throwaway source tree: `files` maps a relative path to its content. */
function tree(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "organic-cycles-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("check-cycles (npm run lint)", () => {
  it("fails on two files that import each other", async () => {
    const root = tree({
      "server/a.ts": 'import { b } from "./b";\nexport const a = () => b();\n',
      "server/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
    });
    try {
      const cycles = await findCycles(["server"], { baseDir: root });
      expect(cycles).toHaveLength(1);
      expect([...cycles[0]!].sort()).toEqual(["server/a.ts", "server/b.ts"]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("counts a lazy import() and a type-only import as imports", async () => {
    const root = tree({
      "server/jobs.ts":
        'export async function run() { const { svc } = await import("./svc"); return svc; }\n',
      "server/svc.ts": 'import type { run } from "./jobs";\nexport const svc: typeof run | null = null;\n',
    });
    try {
      expect(await findCycles(["server"], { baseDir: root })).toHaveLength(1);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("passes a tree whose imports go one way", async () => {
    const root = tree({
      "server/a.ts": 'import { b } from "./b";\nexport const a = () => b();\n',
      "server/b.ts": "export const b = () => 1;\n",
    });
    try {
      expect(await findCycles(["server"], { baseDir: root })).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

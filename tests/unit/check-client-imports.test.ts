import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkClientImports, clientSourceFiles } from "@/scripts/check-client-imports";

const roots: string[] = [];

/** A throwaway source tree: `files` maps a relative path to its content. */
function tree(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "organic-client-imports-"));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const check = (root: string) =>
  checkClientImports(root, clientSourceFiles(root)).map((v) => `${[...v.chain, v.target].join(" > ")}`);

afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe("check-client-imports (npm run lint)", () => {
  it("fails on a server module reached through a client file's helpers", () => {
    const root = tree({
      "components/x/editor.tsx":
        '"use client";\nimport { label } from "./meta";\nexport const E = () => label;\n',
      "components/x/meta.ts":
        'import { TYPES } from "@/server/db/schema/x";\nexport const label = TYPES[0];\n',
      "server/db/schema/x.ts": 'export const TYPES = ["a"] as const;\n',
    });
    expect(check(root)).toEqual(["components/x/editor.tsx > components/x/meta.ts > server/db/schema/x.ts"]);
  });

  it("lets types through, and files no client file reaches", () => {
    const root = tree({
      "components/x/editor.tsx":
        '"use client";\nimport type { Row } from "@/server/services/x";\nimport { type Other } from "../../server/services/y";\nexport type T = Row | Other;\n',
      "components/x/server-part.tsx": 'import { rows } from "@/server/services/x";\nexport const S = rows;\n',
      "server/services/x.ts": "export type Row = { id: string };\nexport const rows = [];\n",
      "server/services/y.ts": "export type Other = number;\n",
    });
    expect(check(root)).toEqual([]);
  });

  it("allows a domain's shared schemas, but not what they must not import", () => {
    const root = tree({
      "components/x/form.tsx":
        '"use client";\nimport { xInput } from "@/server/services/x/schemas";\nimport { yInput } from "@/server/services/y/y-schemas";\nexport const F = [xInput, yInput];\n',
      "server/services/x/schemas.ts":
        'import { z } from "zod";\nimport { E } from "@/lib/enums";\nexport const xInput = z.enum(E);\n',
      "lib/enums.ts": 'export const E = ["a"] as const;\n',
      "server/services/y/y-schemas.ts":
        'import { z } from "zod";\nimport { eq } from "drizzle-orm";\nimport { T } from "@/server/db/schema";\nexport const yInput = z.enum(T);\n',
      "server/db/schema/index.ts": 'export const T = ["b"] as const;\n',
    });
    expect(check(root).sort()).toEqual([
      "components/x/form.tsx > server/services/y/y-schemas.ts > drizzle-orm",
      "components/x/form.tsx > server/services/y/y-schemas.ts > server/db/schema/index.ts",
    ]);
  });

  it("counts a dynamic import() and a re-export", () => {
    const root = tree({
      "hooks/use-x.ts":
        '"use client";\nexport * from "./x";\nexport const load = () => import("@/server/queue");\n',
      "hooks/x.ts": 'export { send } from "@/server/email";\n',
      "server/queue.ts": "export const q = 1;\n",
      "server/email.ts": "export const send = 1;\n",
    });
    expect(check(root).sort()).toEqual([
      "hooks/use-x.ts > hooks/x.ts > server/email.ts",
      "hooks/use-x.ts > server/queue.ts",
    ]);
  });
});

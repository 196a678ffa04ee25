import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The README says the image runs as a non-root user: every stage that starts a process (has a CMD or
 * ENTRYPOINT) switches to a user other than root before it.
 */
describe("Dockerfile", () => {
  it("every runnable stage runs as a non-root user", () => {
    const text = fs.readFileSync(path.join(process.cwd(), "Dockerfile"), "utf8");
    const stages = text.split(/^FROM\s+/m).slice(1);
    const runnable = stages.filter((s) => /^(CMD|ENTRYPOINT)\s/m.test(s));
    expect(runnable.length).toBeGreaterThanOrEqual(2);
    for (const stage of runnable) {
      const name = stage.split("\n")[0]!.trim();
      const users = [...stage.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
      const last = users.at(-1);
      expect(last, `${name}: no USER`).toBeDefined();
      expect(["root", "0", "0:0"], `${name} runs as ${last}`).not.toContain(last);
      const start = stage.search(/^(CMD|ENTRYPOINT)\s/m);
      expect(stage.lastIndexOf(`USER ${last}`), `${name}: USER after CMD`).toBeLessThan(start);
    }
  });
});

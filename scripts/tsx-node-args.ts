import fs from "node:fs";
import path from "node:path";

/**
 * Node arguments for running a TypeScript entry point (worker, CLI, a test fixture) in a child
 * process. `--conditions=react-server` resolves the `server-only` marker that server modules import
 * to its empty build, as Next does for server code; without it that marker throws on load.
 */
export const TSX_NODE_ARGS = ["--conditions=react-server", "--import", "tsx"] as const;

/**
 * Node's arguments in `npm run worker`, the production start (built worker, bounded heap): what the
 * Dockerfile's worker stage runs too (tests/unit/compose.test.ts), so tests and benchmarks that
 * start a worker "as production does" read them from here.
 */
export function npmRunWorkerArgs(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const [node, ...args] = String(pkg.scripts.worker).split(" ");
  if (node !== "node") throw new Error(`npm run worker is not a node command: ${pkg.scripts.worker}`);
  return args;
}

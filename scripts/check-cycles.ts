/**
 * `npm run lint` (after biome and the size check): fails on any import cycle among the app's
 * source files (madge, TypeScript-aware, type-only imports included: a type cycle is still two
 * modules that cannot be read apart). Services enqueue jobs by definition and handlers are bound
 * in server/queue/handlers.ts, so no cycle is ever needed; a lazy `await import()` to dodge one
 * counts as an import too.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
// madge ships no type declarations; its API is one function and one method used here.
// @ts-expect-error untyped package
import madge from "madge";

/** The checked folders. */
export const CYCLE_ROOTS = ["server", "lib", "app", "cli", "components"];

/** The import cycles among the TypeScript files under `roots` (each a list of files, relative). */
export async function findCycles(
  roots: string[],
  opts: { baseDir?: string; tsConfig?: string } = {},
): Promise<string[][]> {
  const baseDir = opts.baseDir ?? process.cwd();
  const result = await (
    madge as (p: string[], o: Record<string, unknown>) => Promise<{ circular(): string[][] }>
  )(
    roots.map((r) => path.join(baseDir, r)),
    {
      baseDir,
      fileExtensions: ["ts", "tsx"],
      tsConfig: opts.tsConfig,
      excludeRegExp: [/node_modules/, /\.next\//],
    },
  );
  return result.circular();
}

async function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const cycles = await findCycles(CYCLE_ROOTS, { baseDir: root, tsConfig: path.join(root, "tsconfig.json") });
  if (cycles.length === 0) {
    console.log(`check-cycles: no import cycle in ${CYCLE_ROOTS.join(", ")}`);
    return;
  }
  console.error(`check-cycles: ${cycles.length} import cycle(s):`);
  for (const c of cycles) console.error(`  ${[...c, c[0]].join(" → ")}`);
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

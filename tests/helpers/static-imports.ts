import type { Metafile } from "esbuild";

/**
 * The packages (external imports) `entry` loads at start: its static import graph in esbuild's
 * metafile, not following dynamic `import()`s.
 */
export function staticPackages(inputs: Metafile["inputs"], entry: string): Set<string> {
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

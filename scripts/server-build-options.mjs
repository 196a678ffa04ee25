/**
 * How `npm run build` bundles the processes that run outside Next (scripts/build-server.mjs), kept
 * apart so tests/unit/worker-imports.test.ts bundles the worker exactly as production does.
 *
 * Our code is bundled (the `@/` paths resolved, the `react-server` export condition chosen as Next
 * does for server code); packages stay in node_modules and are imported as they are, except juice
 * (see juiceOnSlimCheerio). Modules the code loads on demand (`await import(...)`) become their own
 * chunks and load only when used.
 */
import { createRequire } from "node:module";
import path from "node:path";

/**
 * juice (the e-mail CSS inliner) requires `cheerio`, whose entry point also loads parse5 and undici
 * for what juice never does: juice always passes cheerio the `xml` option, which parses and
 * serialises with htmlparser2, exactly as `cheerio/slim` does. Bundled in with its `cheerio` pointed
 * at `cheerio/slim`, juice loads about 130 fewer modules. Its other packages stay external,
 * required through the `require` the banner gives each output file.
 */
const juiceOnSlimCheerio = {
  name: "juice-on-slim-cheerio",
  setup(b) {
    const juiceDir = `${path.sep}node_modules${path.sep}juice${path.sep}`;
    b.onResolve({ filter: /^juice$/ }, () => ({ path: createRequire(import.meta.url).resolve("juice") }));
    b.onResolve({ filter: /^cheerio$/ }, (args) =>
      args.importer.includes(juiceDir) ? { path: "cheerio/slim", external: true } : undefined,
    );
  },
};

/** esbuild's options for the worker and the CLI, written to `outdir`. */
export function serverBuildOptions(root, outdir) {
  return {
    absWorkingDir: root,
    entryPoints: { worker: "server/worker.ts", cli: "cli/index.ts" },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    conditions: ["react-server"],
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
    plugins: [juiceOnSlimCheerio],
    banner: {
      js: 'import { createRequire as __organicRequire } from "node:module"; const require = __organicRequire(import.meta.url);',
    },
  };
}

/**
 * The output with every character beyond Latin-1 written as `\uXXXX`. V8 keeps each module's
 * source in memory as long as the process runs, one byte per character, unless one character is
 * beyond Latin-1: then two for the whole file. esbuild escapes such characters in strings and
 * templates but leaves them in the comments it keeps and in regular expressions, which made the
 * worker's largest chunks take twice their size. `\uXXXX` is the same character in a regular
 * expression and inert in a comment.
 */
export function latin1Source(text) {
  return text.replace(/[^\0-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

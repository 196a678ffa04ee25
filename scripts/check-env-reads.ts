/**
 * `npm run lint` (after the size check): every environment variable is read through lib/env.ts,
 * where it is validated once and documented (README's env table; docker-compose.yml passes it). A
 * direct `process.env` read anywhere else in app code fails, unless its file is in ALLOWLIST below
 * with the reason — and an allowlist entry whose file no longer reads process.env fails too, so the
 * list only shrinks.
 *
 * Not checked: tests, benchmarks, scripts and tool configs (next.config, playwright, vitest,
 * drizzle), which set up or read the environment of a tool rather than of Organic.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sourceFiles } from "./check-sizes";

/** Files allowed to read process.env directly, each with the reason. */
export const ALLOWLIST: Record<string, string> = {
  "lib/env.ts": "the one place that reads and validates the environment",
  "lib/logger.ts": "VITEST tells a test run (the runner sets it), not a setting an operator passes",
  "lib/security-headers.ts":
    "originPolicyFromEnv takes the variables as a plain record so tests can pass their own; proxy.ts calls it before the app loads",
  "instrumentation.ts": "NEXT_RUNTIME is Next's own, read before any app module loads",
  "proxy.ts": "NODE_ENV in Next's proxy, which runs before the app's modules load",
  "cli/index.ts": "the CLI sets variables (log level, limits) before it imports the app",
  "server/db/handle.ts": "MIGRATIONS_DIR is a switch for tests and the image build, not an operator setting",
  "server/ops/pg-tools.ts": "pg_dump/pg_restore inherit the whole environment (PATH, locale) plus PGPASSWORD",
};

/** Checked: app code. Skipped: tests, bench, scripts and tool configs. */
const SKIPPED =
  /^(tests|bench|scripts)\/|^(next|playwright|vitest|drizzle)\.config\.[cm]?[jt]s$|^postcss\.config\./;
const DIRECT_READ = /\bprocess\.env\b/;

export interface EnvReadReport {
  /** Files reading process.env that are not allowed to. */
  violations: { file: string; line: number; text: string }[];
  /** Allowlist entries whose file no longer reads process.env: remove them. */
  stale: string[];
}

export function checkEnvReads(files: { file: string; text: string }[], allowlist: Record<string, string>) {
  const report: EnvReadReport = { violations: [], stale: [] };
  const reading = new Set<string>();
  for (const { file, text } of files) {
    if (SKIPPED.test(file)) continue;
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      if (!DIRECT_READ.test(line) || /^\s*(\*|\/\/)/.test(line)) return;
      reading.add(file);
      if (!(file in allowlist)) report.violations.push({ file, line: i + 1, text: line.trim() });
    });
  }
  report.stale = Object.keys(allowlist).filter((f) => !reading.has(f));
  return report;
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const files = sourceFiles(root).map((file) => ({
    file,
    text: fs.readFileSync(path.join(root, file), "utf8"),
  }));
  const { violations, stale } = checkEnvReads(files, ALLOWLIST);
  for (const v of violations) {
    console.error(`direct env read: ${v.file}:${v.line} ${v.text}\n  read it with env() from lib/env.ts`);
  }
  for (const f of stale) console.error(`remove from ALLOWLIST in scripts/check-env-reads.ts: ${f}`);
  if (violations.length > 0 || stale.length > 0) process.exit(1);
  console.log(`env reads ok: ${files.length} files checked, ${Object.keys(ALLOWLIST).length} allowed`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();

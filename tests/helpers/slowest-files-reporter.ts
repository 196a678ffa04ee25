import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints the ten slowest test files at the end of `npm test` (issue 16: where the suite's time goes),
 * each file's own time: setting up its environment, importing it, its setup files, then its tests
 * and hooks.
 */
export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const rows = testModules
      .map((m) => {
        const d = m.diagnostic();
        const ms =
          d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
        return { file: path.relative(process.cwd(), m.moduleId), ms, imports: d.collectDuration };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    if (rows.length === 0) return;
    const lines = rows.map(
      (r) =>
        `  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.file}  (import ${(r.imports / 1000).toFixed(1)} s)`,
    );
    process.stdout.write(`\nSlowest test files:\n${lines.join("\n")}\n`);
  }
}

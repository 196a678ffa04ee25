/**
 * `npm run bench -- <name> [flags]`: runs bench/<name>.ts. Each benchmark prints one JSON line on
 * stdout (its result) and its progress on stderr.
 */
import fs from "node:fs";

export interface Benchmark {
  description: string;
  run(args: string[]): Promise<void>;
}

const available = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".d.ts"))
  .map((f) => f.slice(0, -".ts".length))
  .sort();

async function load(name: string): Promise<Benchmark> {
  return (await import(`./${name}.ts`)) as Benchmark;
}

async function usage(): Promise<string> {
  const rows = await Promise.all(
    available.map(async (name) => `  ${name.padEnd(12)} ${(await load(name)).description}`),
  );
  return ["Usage: npm run bench -- <name> [flags]", "", "Benchmarks:", ...rows].join("\n");
}

const [name, ...args] = process.argv.slice(2);

if (!name || name === "help" || name === "--help" || !available.includes(name)) {
  if (name && !["help", "--help"].includes(name)) process.stderr.write(`Unknown benchmark "${name}"\n\n`);
  process.stderr.write(`${await usage()}\n`);
  process.exitCode = name && ["help", "--help"].includes(name) ? 0 : 1;
} else {
  try {
    await (await load(name)).run(args);
  } catch (err) {
    process.stderr.write(
      `bench ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`,
    );
    process.exitCode = 1;
  }
}

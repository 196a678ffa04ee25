/**
 * Organic's command line: `npm run cli -- <command> [flags]` (see `help`).
 *
 * stdout carries only the result (with --json exactly one JSON line); messages and logs go to stderr.
 * Exit codes: 0 done, 1 something to fix in the command or its input, 2 an unexpected failure.
 */
import { parseArgs } from "node:util";
import { CATALOG, type CommandName } from "./catalog";
import type { CommandSpec, FlagOptions } from "./util";

const argv = process.argv.slice(2);
const json = argv.includes("--json");
const verbose = argv.includes("--verbose");

// lib/env and lib/logger read these once, when first imported, so they are set before anything else
// loads (every app module is imported dynamically below). The app logger writes to stdout, which
// belongs to the result: silence it, or with --verbose give the process a logger on stderr.
process.env.LOG_LEVEL = verbose
  ? process.env.LOG_LEVEL && process.env.LOG_LEVEL !== "silent"
    ? process.env.LOG_LEVEL
    : "debug"
  : "silent";
// The sign-up limiter protects the web form; an operator at a shell is not who it is for.
process.env.AUTH_RATE_LIMIT_MAX = "1000000";
// better-auth warns on every start without a base URL; the CLI builds no links, so any will do.
process.env.BETTER_AUTH_URL ??= process.env.APP_URL ?? "http://localhost:3000";
if (verbose) {
  const { default: pino } = await import("pino");
  (globalThis as { organicLogger?: unknown }).organicLogger = pino(
    { level: process.env.LOG_LEVEL, base: { app: "organic", via: "cli" } },
    pino.destination(2),
  );
}

const { UsageError, exitCodeFor, formatFlagErrors } = await import("./util");

/** Each command's module, loaded only to run it (or to check its flags). */
const COMMANDS: Record<CommandName, () => Promise<{ default: CommandSpec }>> = {
  migrate: () => import("./commands/migrate"),
  "create-user": () => import("./commands/create-user"),
  "create-workspace": () => import("./commands/create-workspace"),
  "seed-demo": () => import("./commands/seed-demo"),
  "create-api-key": () => import("./commands/create-api-key"),
  "verify-email": () => import("./commands/verify-email"),
  "instance-admin": () => import("./commands/instance-admin"),
  backup: () => import("./commands/backup"),
  restore: () => import("./commands/restore"),
  doctor: () => import("./commands/doctor"),
};

const GLOBAL_OPTIONS = {
  json: { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies FlagOptions;

const INVOCATION = "npm run cli --";

/** Every command's name, summary and usage, from the catalog: no command module loads. */
const catalogEntries = () =>
  Object.entries(CATALOG).map(([name, d]) => ({ name, summary: d.summary, usage: d.usage }));

const isCommand = (name: string): name is CommandName => Object.hasOwn(CATALOG, name);

function commandLine(spec: { name: string; usage: string }) {
  return `${INVOCATION} ${spec.name}${spec.usage ? ` ${spec.usage}` : ""} [--json]`;
}

function usage(): string {
  const specs = catalogEntries();
  return [
    "Organic command line",
    "",
    `Usage: ${INVOCATION} <command> [flags]`,
    "",
    "Commands:",
    ...specs.flatMap((s) => [`  ${s.name}${s.usage ? ` ${s.usage}` : ""}`, `      ${s.summary}`]),
    "  help [command]",
    "      Show this text, or the flags of one command",
    "",
    "Flags every command accepts:",
    "  --json      print exactly one JSON object (one line) on stdout and nothing else",
    "  --verbose   write logs (and stack traces) to stderr",
    "  --help      show the command's flags",
    "",
    `For scripts, keep npm's banner off stdout: npm run -s cli -- <command> --json (or npx tsx cli/index.ts).`,
    "",
    "Database: PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite in DATA_DIR (./.data);",
    "while the app runs, the CLI reaches its embedded database through the app.",
  ].join("\n");
}

function print(result: { json: Record<string, unknown>; human: string }) {
  process.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.human}\n`);
}

function printHelp(name?: string) {
  if (name) {
    if (!isCommand(name)) throw new UsageError(`Unknown command "${name}"`, usage());
    const spec = { name, ...CATALOG[name] };
    print({
      json: { command: spec.name, summary: spec.summary, usage: commandLine(spec) },
      human: `${spec.summary}\n\nUsage: ${commandLine(spec)}`,
    });
    return;
  }
  print({
    json: {
      commands: catalogEntries().map((s) => ({ name: s.name, summary: s.summary, usage: commandLine(s) })),
    },
    human: usage(),
  });
}

function parseFlags(spec: CommandSpec | null, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...spec?.options },
      strict: true,
      allowPositionals: spec === null,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(message, spec ? `Usage: ${commandLine(spec)}` : undefined);
  }
}

async function main(): Promise<void> {
  const at = argv.findIndex((a) => !a.startsWith("-"));
  const name = at === -1 ? undefined : argv[at]!;
  const rest = at === -1 ? argv : argv.filter((_, i) => i !== at);

  if (name === undefined || name === "help") {
    const { positionals } = parseFlags(null, rest);
    return printHelp(positionals[0]);
  }
  if (!isCommand(name)) throw new UsageError(`Unknown command "${name}"`, usage());
  const spec = (await COMMANDS[name]()).default;
  const { values } = parseFlags(spec, rest);
  if (values.help) return printHelp(name);

  const { json: _json, verbose: _verbose, help: _help, ...flags } = values;
  const parsed = spec.schema.safeParse(flags);
  if (!parsed.success) throw new UsageError(formatFlagErrors(parsed.error), `Usage: ${commandLine(spec)}`);
  print(await spec.run(parsed.data));
}

try {
  await main();
} catch (err) {
  const code = exitCodeFor(err);
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(code === 2 ? `error: unexpected failure: ${message}\n` : `error: ${message}\n`);
  if (err instanceof UsageError && err.hint && !json) process.stderr.write(`\n${err.hint}\n`);
  if (code === 2 && verbose && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exitCode = code;
}

// Everything is closed by now; if a stray handle still holds the event loop, don't hang a script.
setTimeout(() => process.exit(), 10_000).unref();

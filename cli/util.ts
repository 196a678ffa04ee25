import type { ParseArgsConfig } from "node:util";
import { z } from "zod";
import type { DbHandle } from "@/server/db";
import { DomainError, NotFoundError } from "@/server/errors";

/*
 * Shared by cli/index.ts and the commands. Only modules that read no environment at import time are
 * imported statically here: index.ts sets LOG_LEVEL and friends before it loads anything that does
 * (lib/logger reads them once, at import).
 */

export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** What a command prints: one JSON object with --json, otherwise the human lines. */
export interface CommandResult {
  json: Record<string, unknown>;
  human: string;
}

export interface CommandSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  /** The flags as a person would type them, e.g. `--email <email> [--name <name>]`. */
  usage: string;
  /** Command-specific flags (all strings); --json, --verbose and --help are added by index.ts. */
  options: FlagOptions;
  /** Validates the parsed flag values; keys are the flag names. */
  schema: S;
  run(input: z.output<S>): Promise<CommandResult>;
}

export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}

/** A mistake of the person running the command (bad flags, unknown command): exit code 1. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** A required string flag whose "missing" message names the flag. */
export function requiredFlag(flag: string) {
  return z.string({
    error: (iss) => (iss.input === undefined ? `Missing required flag --${flag}` : `--${flag} must be text`),
  });
}

/** Turns a Zod error on flag values into one line per problem, naming the flags. */
export function formatFlagErrors(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const flag = issue.path.length ? `--${String(issue.path[0])}` : "";
    if (issue.message.startsWith("Missing required flag") || !flag) return issue.message;
    return `${flag}: ${issue.message}`;
  });
  return lines.length === 1 ? lines[0]! : `invalid flags:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}

/** 1 for anything the person can fix by changing the command, 2 for everything else. */
export function exitCodeFor(err: unknown): 1 | 2 {
  if (err instanceof UsageError || err instanceof z.ZodError || err instanceof DomainError) return 1;
  // lib/env throws a plain Error for a bad variable: the fix is the person's, not ours.
  if (err instanceof Error && err.message.startsWith("Invalid environment variables")) return 1;
  return 2;
}

/**
 * Opens the database the environment names (migrating it first unless asked not to, as the app does
 * at start) and always closes it, with any Redis connection, so the process can exit.
 */
export async function withDb<T>(
  fn: (handle: DbHandle) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const { openDb } = await import("@/server/db");
  const handle = await openDb();
  try {
    if (opts.migrate ?? true) await handle.migrate();
    return await fn(handle);
  } finally {
    await handle.close();
    const { closeRedis } = await import("@/lib/redis");
    await closeRedis();
  }
}

/** The schema and drizzle load with the first lookup, not with `help`. */
const lookupModules = () => Promise.all([import("drizzle-orm"), import("@/server/db/schema")]);

export async function findUserByEmail(db: DbHandle["db"], email: string) {
  const [{ eq }, { users }] = await lookupModules();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()));
  return user ?? null;
}

export async function getWorkspaceBySlugOrThrow(db: DbHandle["db"], slug: string) {
  const [{ eq }, { workspaces }] = await lookupModules();
  const [ws] = await db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.slug, slug.trim().toLowerCase()));
  if (!ws) throw new NotFoundError(`No workspace with slug "${slug}"`);
  return ws;
}

/** "database at host:port/name" without credentials, or where the embedded files live. */
export async function describeDatabase(handle: DbHandle): Promise<string> {
  const { dataDir, env } = await import("@/lib/env");
  if (handle.kind === "postgres") {
    const url = new URL(env().DATABASE_URL!);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
  }
  if (handle.kind === "pglite-socket") return `embedded PGlite in ${dataDir()}, served by the running app`;
  return `embedded PGlite in ${dataDir()}`;
}

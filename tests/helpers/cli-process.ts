import { execFile } from "node:child_process";
import path from "node:path";
import { resetEnvCache } from "@/lib/env";
import { type DbHandle, openDb } from "@/server/db";
import { cliNodeArgs } from "./server-build";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- <args>` as a child process with `env` on top of this process's environment. */
export function runCli(args: string[], env: Record<string, string>, timeout = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...cliNodeArgs(), ...args],
      { cwd: ROOT, timeout, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Runs `fn` with process.env changed by `vars` (an empty string unsets a variable, as lib/env reads
 * it), then puts every variable back.
 */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  resetEnvCache();
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }
}

/** Opens (and migrates) the database that `vars` name, runs `fn` on it and closes it. */
export function withDatabase<T>(vars: Record<string, string>, fn: (h: DbHandle) => Promise<T>): Promise<T> {
  return withEnv(vars, async () => {
    const handle = await openDb();
    try {
      await handle.migrate();
      return await fn(handle);
    } finally {
      await handle.close();
    }
  });
}

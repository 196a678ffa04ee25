import "server-only";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { ValidationError } from "@/server/errors";

const run = promisify(execFile);

/**
 * PostgreSQL's own client programs (pg_dump, pg_restore) for the backup of a PostgreSQL install.
 * They are found on PATH; one older than the server refuses to dump it (pg_dump) or may write SQL the
 * server does not accept, so their major version is checked against the server's first.
 */

/** `postgres://user:secret@host/db` → the URL without its password, and the password for PGPASSWORD. */
export function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  // The password goes through the environment, never argv (which `ps` shows to every user).
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function toolMajor(tool: string): Promise<number> {
  let out: string;
  try {
    out = (await run(tool, ["--version"])).stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ValidationError(
        `${tool} is not installed (or not on PATH). Install PostgreSQL's client programs (Debian: apt-get install postgresql-client) in the version of your server.`,
      );
    }
    throw err;
  }
  const major = /\(PostgreSQL\)\s+(\d+)/.exec(out)?.[1];
  if (!major) throw new Error(`Could not read the version of ${tool} from: ${out.trim()}`);
  return Number(major);
}

export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
    return Math.floor(Number(rows[0]!.v) / 10_000);
  } finally {
    await client.end();
  }
}

/** Throws, naming both versions, when `tool` is older than the server at `url`. */
export async function assertToolFitsServer(tool: "pg_dump" | "pg_restore", url: string): Promise<void> {
  const [mine, server] = await Promise.all([toolMajor(tool), serverMajor(url)]);
  if (mine < server) {
    throw new ValidationError(
      `${tool} is version ${mine} but the server runs PostgreSQL ${server}: install ${tool} ${server} or newer (Debian: postgresql-client-${server}) and put it first on PATH.`,
    );
  }
}

export async function runPgTool(tool: "pg_dump" | "pg_restore", args: string[], env: NodeJS.ProcessEnv) {
  try {
    return await run(tool, args, { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`${tool} failed${stderr ? `: ${stderr}` : ""}`);
  }
}

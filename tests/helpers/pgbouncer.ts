import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "@/bench/lib/process";

/** Debian's package puts it in /usr/sbin, which is not on every PATH. */
export function findPgbouncer(): string | null {
  for (const candidate of ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync("sh", ["-c", "command -v pgbouncer"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

export interface PgBouncer {
  port: number;
  /** `upstreamUrl` with its host and port changed to PgBouncer's. */
  urlFor(upstreamUrl: string): string;
  /** PgBouncer's admin console (SHOW CONFIG, SHOW POOLS…), simple-protocol queries only. */
  admin(command: string): Promise<Record<string, string>[]>;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a real pgbouncer in front of the PostgreSQL server of `upstreamUrl`, in transaction pooling
 * (a server connection is lent for one transaction only), on 127.0.0.1 and a free port, with its own
 * ini in a temporary folder; every database of that server is reachable through it. Trust auth: it
 * passes the user name on to PostgreSQL, which does its own authentication. No
 * max_prepared_statements: Debian 12's 1.18 has none, and the app must not need it.
 */
export async function startPgBouncer(upstreamUrl: string, binary: string): Promise<PgBouncer> {
  const upstream = new URL(upstreamUrl);
  const user = decodeURIComponent(upstream.username) || "postgres";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-pgbouncer-"));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const ini = path.join(dir, "pgbouncer.ini");
  fs.writeFileSync(path.join(dir, "userlist.txt"), `"${user}" ""\n`, { mode: 0o644 });
  fs.writeFileSync(
    ini,
    [
      "[databases]",
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      `admin_users = ${user}`,
      "pool_mode = transaction",
      "max_client_conn = 500",
      "default_pool_size = 10",
      // node-postgres sends no such parameters by default; listed for clients that do.
      "ignore_startup_parameters = extra_float_digits,options",
      // pgbouncer refuses to run as root; started as root (CI), it drops to the postgres user.
      ...(process.getuid?.() === 0 ? ["user = postgres"] : []),
      "",
    ].join("\n"),
    { mode: 0o644 },
  );
  const child: ChildProcess = spawn(binary, [ini], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const urlFor = (url: string) => {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(port);
    return u.toString();
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT"); // immediate shutdown
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`pgbouncer exited with ${child.exitCode}: ${output}`);
    }
    const client = new pg.Client({ connectionString: urlFor(upstreamUrl) });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      break;
    } catch (err) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`pgbouncer did not answer on port ${port}: ${(err as Error).message}\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    port,
    urlFor,
    async admin(command) {
      const client = new pg.Client({ host: "127.0.0.1", port, user, database: "pgbouncer" });
      await client.connect();
      try {
        return (await client.query(command)).rows as Record<string, string>[];
      } finally {
        await client.end();
      }
    },
    log: () => output,
    stop,
  };
}

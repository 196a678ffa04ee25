/**
 * The processes of a scale-out install as the topology test starts them: web processes (what
 * `npm start` runs: scripts/next.mjs → `next start` on the production build) and workers (the
 * Dockerfile's worker command: node with tsx, no npm wrapper, so SIGKILL hits the worker itself).
 * Each gets a DATA_DIR of its own and writes its output to a log file; `tails()` reads the end of
 * every log, for a failing test to print.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { npmRunWorkerArgs } from "@/scripts/tsx-node-args";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  dataDir: string;
  exited: Promise<void>;
}

export class Processes {
  readonly all: Proc[] = [];
  constructor(private readonly dir: string) {}

  private start(name: string, args: string[], env: NodeJS.ProcessEnv): Proc {
    const dataDir = fs.mkdtempSync(path.join(this.dir, `${name}-data-`));
    const logFile = path.join(this.dir, `${name}.log`);
    const fd = fs.openSync(logFile, "a");
    // Its own process group (detached), so stopping it also stops what it spawned (next start).
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...env, DATA_DIR: dataDir },
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    fs.closeSync(fd);
    if (!child.pid) throw new Error(`${name} did not start`);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const proc = { name, child, pid: child.pid, logFile, dataDir, exited };
    this.all.push(proc);
    return proc;
  }

  /** A web process: the production server on 127.0.0.1:`port`. */
  web(name: string, port: number, env: NodeJS.ProcessEnv) {
    return this.start(name, ["scripts/next.mjs", "start"], { ...env, PORT: String(port), HOST: "127.0.0.1" });
  }

  /**
   * A worker, started as the Dockerfile's worker stage and `npm run worker` start it: the production
   * build, `node … dist/worker.mjs` (tests/unit/compose.test.ts holds the three to the same command).
   */
  worker(name: string, env: NodeJS.ProcessEnv) {
    return this.start(name, npmRunWorkerArgs(ROOT), env);
  }

  log(p: Proc) {
    try {
      return fs.readFileSync(p.logFile, "utf8");
    } catch {
      return "";
    }
  }

  async waitForLog(p: Proc, pattern: RegExp, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.log(p))) {
      if (p.child.exitCode !== null || p.child.signalCode !== null)
        throw new Error(`${p.name} exited before logging ${pattern}`);
      if (Date.now() > deadline) throw new Error(`${p.name} did not log ${pattern} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The last `lines` lines of every process's log, each under its name (without the ticks' "job done"). */
  tails(lines = 40) {
    return this.all
      .map((p) => {
        const tail = this.log(p)
          .trimEnd()
          .split("\n")
          .filter((line) => !line.includes('"msg":"job done"'))
          .slice(-lines)
          .join("\n");
        const state = p.child.exitCode !== null || p.child.signalCode !== null ? " (exited)" : "";
        return `----- ${p.name}${state} (pid ${p.pid}, ${p.logFile}) -----\n${tail}`;
      })
      .join("\n");
  }

  /** SIGKILL to one process (and its group): a crash, no chance to hand anything back. */
  crash(p: Proc) {
    signalGroup(p, "SIGKILL");
    return p.exited;
  }

  /** SIGTERM to every process still running, SIGKILL to those not gone after `graceMs`. */
  async stopAll(graceMs = 10_000) {
    const running = this.all.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of running) signalGroup(p, "SIGTERM");
    const timer = setTimeout(() => {
      for (const p of running) signalGroup(p, "SIGKILL");
    }, graceMs);
    await Promise.all(running.map((p) => p.exited));
    clearTimeout(timer);
    // Whatever a process spawned and left behind in its group goes too (next start's server).
    for (const p of this.all) signalGroup(p, "SIGKILL");
    await Promise.all(this.all.map((p) => groupGone(p, 5000)));
  }
}

async function groupGone(p: Proc, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-p.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function signalGroup(p: Proc, signal: NodeJS.Signals) {
  try {
    process.kill(-p.pid, signal);
  } catch {
    // the group is gone already
  }
}

/** The local ports of process `pid`'s open TCP connections to 127.0.0.1:`port` (Linux: /proc). */
export function portsConnectedTo(pid: number, port: number): Set<number> {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      fs
        .readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((i): i is string => Boolean(i)),
    );
  } catch {
    return new Set();
  }
  const remote = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const lines = fs.readFileSync(`/proc/${pid}/net/tcp`, "utf8").trim().split("\n").slice(1);
  const ports = new Set<number>();
  for (const line of lines) {
    // local address, remote address, state (01: established), …, inode
    const f = line.trim().split(/\s+/);
    if (f[2] === remote && f[3] === "01" && inodes.has(f[9]!))
      ports.add(Number.parseInt(f[1]!.split(":")[1]!, 16));
  }
  return ports;
}

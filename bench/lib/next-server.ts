/**
 * The production server for the benchmarks that measure it over HTTP: built if needed, started as
 * `npm start` starts it (scripts/next.mjs, in its own process group), stopped with everything it
 * spawned; and the CLI, for accounts and keys.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TSX_NODE_ARGS } from "@/scripts/tsx-node-args";
import { ROOT, runToCompletion } from "./process";

export async function ensureBuild(log: (line: string) => void) {
  if (fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    log("using the existing production build (.next/BUILD_ID)");
    return;
  }
  log("no production build: running npm run build (this takes a few minutes)");
  await new Promise<void>((resolve, reject) => {
    // The build's own output is progress, so it goes to stderr too.
    const child = spawn("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`)),
    );
  });
}

export interface Server {
  child: ChildProcess;
  output: string[];
  /** Under `node --cpu-prof`: stopped with SIGINT, so the profile is written. */
  profiling: boolean;
}

/**
 * The server's command line: `npm start`'s (scripts/next.mjs), or with `profileDir` next's own binary
 * under `node --cpu-prof` writing its CPU profile there (NODE_OPTIONS may not carry that flag).
 */
export function serverArgs(port: number, profileDir?: string): string[] {
  if (!profileDir) return ["scripts/next.mjs", "start"];
  fs.mkdirSync(profileDir, { recursive: true });
  return [
    "--cpu-prof",
    `--cpu-prof-dir=${profileDir}`,
    "node_modules/next/dist/bin/next",
    "start",
    "--port",
    String(port),
    "--hostname",
    "127.0.0.1",
  ];
}

export function startServer(
  port: number,
  env: NodeJS.ProcessEnv,
  verbose: boolean,
  log: (line: string) => void,
  profileDir?: string,
): Server {
  // Its own process group, so stopping it also stops the `next start` process it spawns.
  const child = spawn(process.execPath, serverArgs(port, profileDir), {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    if (verbose) process.stderr.write(chunk);
    output.push(...chunk.toString().split("\n").filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  log(`started the server (pid ${child.pid}) on 127.0.0.1:${port}`);
  return { child, output, profiling: profileDir !== undefined };
}

export async function stopServer(server: Server, log: (line: string) => void) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal(server.profiling ? "SIGINT" : "SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), server.profiling ? 30_000 : 10_000);
  await exited;
  clearTimeout(timer);
  log(`stopped the server (pid ${child.pid})`);
}

export async function waitForHealth(base: string, server: Server, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(
        `the server exited (${server.child.exitCode}):\n${server.output.slice(-30).join("\n")}`,
      );
    }
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`/api/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

export async function cliJson(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = await runToCompletion(
    process.execPath,
    [...TSX_NODE_ARGS, "cli/index.ts", ...args, "--json"],
    env,
  );
  return JSON.parse(stdout) as Record<string, string>;
}

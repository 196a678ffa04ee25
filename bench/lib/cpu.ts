import fs from "node:fs";
import os from "node:os";

/**
 * CPU seconds (user + system) from /proc, for benchmarks that share a machine: wall-clock rates
 * swing with other load, CPU time much less. Linux only; null where /proc can't be read.
 */

const TICKS = 100; // USER_HZ on Linux

function statFields(pid: number): number[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return text
      .slice(text.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
  } catch {
    return null;
  }
}

/** utime + stime of one process (fields 14 and 15), optionally with its reaped children's (16, 17). */
export function processCpuSeconds(pid: number, withReapedChildren = false): number | null {
  const f = statFields(pid);
  if (!f) return null;
  // f[0] is field 3 (state), so field n is f[n - 3].
  const own = f[11]! + f[12]!;
  return (withReapedChildren ? own + f[13]! + f[14]! : own) / TICKS;
}

/**
 * All CPU a local PostgreSQL server has used: the postmaster with every backend it has reaped,
 * plus the backends still running. Includes other databases' load on a shared server.
 */
export function postgresServerCpuSeconds(postmasterPid: number): number | null {
  const total = processCpuSeconds(postmasterPid, true);
  if (total === null || os.platform() !== "linux") return null;
  let sum = total;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && f[1] === postmasterPid) sum += (f[11]! + f[12]!) / TICKS; // f[1] is ppid
  }
  return sum;
}

/** The postmaster's pid from its data directory (the server must be on this machine). */
export function postmasterPid(dataDirectory: string): number | null {
  try {
    return Number(fs.readFileSync(`${dataDirectory}/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}

/**
 * CPU seconds of the PostgreSQL backends serving one database, found by their process title
 * (`postgres: … <user> <database> <host> …`) among the postmaster's children. Call `sample()` now
 * and then (backends that exit between samples keep their last reading) and `total()` at the end;
 * only the CPU used after the first sample counts.
 */
export function databaseBackendsCpu(postmasterPid: number, database: string) {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let started = false;
  const sample = () => {
    if (os.platform() !== "linux") return;
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const f = statFields(pid);
      if (!f || f[1] !== postmasterPid) continue;
      let title: string;
      try {
        title = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        continue;
      }
      if (!title.split(/[\s\0]+/).includes(database)) continue;
      const cpu = (f[11]! + f[12]!) / TICKS;
      // A backend first seen after the start began from zero.
      if (!first.has(pid)) first.set(pid, started ? 0 : cpu);
      last.set(pid, cpu);
    }
    started = true;
  };
  sample();
  return {
    sample,
    total() {
      sample();
      let sum = 0;
      for (const [pid, cpu] of last) sum += cpu - (first.get(pid) ?? 0);
      return sum;
    },
  };
}

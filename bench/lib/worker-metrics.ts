/**
 * Reading `npm run worker` processes' Prometheus metrics (WORKER_METRICS_PORT, bearer METRICS_TOKEN)
 * for the schedule bench: whether they are up, the repeating ticks' lateness, job durations, and
 * gauges sampled while the run goes on.
 */

const get = (port: number, token: string) =>
  fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } });

/** Waits until every worker serves its metrics, i.e. its queues are running. */
export async function waitForWorkers(ports: number[], token: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    for (;;) {
      const ok = await get(port, token)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the worker with metrics on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every worker's samples, parsed (a worker that does not answer adds none). */
export async function scrape(ports: number[], token: string): Promise<Sample[]> {
  const texts = await Promise.all(
    ports.map((port) =>
      get(port, token)
        .then((r) => (r.ok ? r.text() : ""))
        .catch(() => ""),
    ),
  );
  const out: Sample[] = [];
  for (const line of texts.join("\n").split("\n")) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** A histogram summed over workers, per value of `by`: count, mean and the bucket holding the p99. */
export function histogram(samples: Sample[], name: string, by: string, where: Record<string, string> = {}) {
  const per = new Map<string, { count: number; sum: number; buckets: Map<number, number> }>();
  for (const s of samples) {
    if (!s.name.startsWith(`${name}_`)) continue;
    if (Object.entries(where).some(([k, v]) => s.labels[k] !== v)) continue;
    const key = s.labels[by] ?? "?";
    const h = per.get(key) ?? { count: 0, sum: 0, buckets: new Map<number, number>() };
    const kind = s.name.slice(name.length + 1);
    if (kind === "count") h.count += s.value;
    else if (kind === "sum") h.sum += s.value;
    else if (kind === "bucket") {
      const le = s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le);
      h.buckets.set(le, (h.buckets.get(le) ?? 0) + s.value);
    }
    per.set(key, h);
  }
  return Object.fromEntries(
    [...per].map(([key, h]) => {
      const bounds = [...h.buckets].sort((a, b) => a[0] - b[0]);
      const p99 = bounds.find(([, n]) => n >= h.count * 0.99)?.[0];
      const largest = bounds.filter(([b]) => Number.isFinite(b)).at(-1)?.[0];
      return [
        key,
        {
          runs: h.count,
          meanS: h.count ? Number((h.sum / h.count).toFixed(3)) : 0,
          p99AtMostS: p99 === Number.POSITIVE_INFINITY ? `>${largest}` : p99,
        },
      ];
    }),
  );
}

/** One gauge summed over workers (e.g. the clients waiting for a database connection). */
export function gauge(samples: Sample[], name: string, where: Record<string, string> = {}) {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

import pg from "pg";

/** Drops and recreates a benchmark database; refuses any database not named as a benchmark one. */
export async function recreateDatabase(databaseUrl: string, log: (line: string) => void = () => {}) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name) || !name.toLowerCase().includes("bench")) {
    throw new Error(`Refusing to drop database "${name}": a benchmark database's name must contain "bench"`);
  }
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  log(`recreated database ${name} on ${url.host}`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

import { randomUUID } from "node:crypto";
import pg from "pg";

/**
 * A database of its own on the PostgreSQL server of DATABASE_URL, named after the suite's database
 * (`<db>_<label>_<random>`), for tests that need an empty one (restore, fresh migrations).
 */
export function scratchDatabase(label: string) {
  const base = new URL(process.env.DATABASE_URL ?? "postgres://localhost/none");
  const name = `${base.pathname.slice(1)}_${label}_${randomUUID().slice(0, 8)}`;
  const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  return {
    name,
    url,
    create: () => adminSql(`create database ${name}`, base.toString()),
    drop: () => adminSql(`drop database if exists ${name} with (force)`, base.toString()),
  };
}

/** Runs one statement on the suite's database (or the given one) (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminSql(sql: string, connectionString = process.env.DATABASE_URL) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

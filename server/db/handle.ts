import "server-only";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/** The database types and the migrations' folder, shared by the PostgreSQL and PGlite handles. */
export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DbKind = "postgres" | "pglite" | "pglite-socket";

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** The PGlite instance when this process holds the embedded files itself (backup and restore use it). */
  pglite?: PGlite;
  /** Runs the committed SQL migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function migrationsFolder(): string {
  return process.env.MIGRATIONS_DIR ?? path.join(process.cwd(), "server/db/migrations");
}

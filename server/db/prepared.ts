import "server-only";
import { createHash } from "node:crypto";
import { fillPlaceholders, type Query, type SQL } from "drizzle-orm";
import type { PgDialect, PgSession } from "drizzle-orm/pg-core";
import pg from "pg";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { Db } from "./handle";

/*
 * A few statements run several times per published post (the claim, the publish-state saves, the
 * outcome, the row reads behind them). Sent unnamed, as node-postgres sends every query, PostgreSQL
 * parses and plans each one every time: in the schedule bench that was a fifth of the database's
 * CPU, the planning of the claim as long as running it. Named, each connection prepares a
 * statement once and then only binds and runs it.
 *
 * The name is a hash of the text, so the same name always means the same statement, whichever
 * process or connection prepared it. A pooler in transaction mode that cannot keep prepared
 * statements (PgBouncer before 1.21, or with max_prepared_statements = 0) refuses a named statement
 * on a server connection that does not hold it (26000) or already does (42P05) before running it;
 * the first such refusal turns names off for the process and the statement runs again unnamed.
 * DATABASE_PREPARED_STATEMENTS=false turns them off from the start.
 *
 * Statements named here list their columns rather than `*`: a prepared statement whose result
 * changes shape (a migration adding a column while an older worker runs) would fail until restart.
 */

interface DrizzleInternals {
  dialect: PgDialect;
  session: PgSession;
  $client?: unknown;
}

/** 26000: no such prepared statement; 42P05: one of that name exists already. */
const POOLER_REFUSALS = new Set(["26000", "42P05"]);

let refused = false;
const names = new Map<string, string>();

function nameFor(text: string) {
  let name = names.get(text);
  if (!name) {
    // A handful of texts in practice; a bound in case a caller ever builds them from values.
    if (names.size >= 1000) names.clear();
    name = `organic_${createHash("sha256").update(text).digest("base64url").slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

/** Named only on node-postgres, outside a transaction (a refusal there would abort it). */
function canName(db: Db) {
  if (refused || !env().DATABASE_PREPARED_STATEMENTS) return false;
  return (db as unknown as DrizzleInternals).$client instanceof pg.Pool;
}

function isPoolerRefusal(err: unknown) {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && POOLER_REFUSALS.has(code);
}

/** Runs a built statement: named where the connection can keep it, else unnamed (as db.execute). */
async function runBuilt(db: Db, built: Query): Promise<unknown> {
  const d = db as unknown as DrizzleInternals;
  if (canName(db)) {
    try {
      return await d.session.prepareQuery(built, undefined, nameFor(built.sql), false).execute();
    } catch (err) {
      if (!isPoolerRefusal(err)) throw err;
      if (!refused) {
        refused = true;
        logger.warn(
          { err: (err as Error).message },
          "the database connection cannot keep prepared statements (a pooler in transaction mode?): sending every statement unnamed from now on",
        );
      }
    }
  }
  return d.session.prepareQuery(built, undefined, undefined, false).execute();
}

/** `db.execute(query)`, as a named prepared statement where the connection can keep one. */
export async function executePrepared(db: Db, query: SQL): Promise<unknown> {
  return runBuilt(db, (db as unknown as DrizzleInternals).dialect.sqlToQuery(query));
}

/**
 * A statement built once, its values bound per call: `sql.placeholder("name")` in `build()` stands
 * for `values.name`. For the hottest request paths, where turning Drizzle's SQL objects into text
 * on every call cost more than running the statement. Runs as executePrepared does.
 */
export function preparedStatement<V extends Record<string, unknown>>(build: () => SQL) {
  let built: Query | undefined;
  return (db: Db, values: V): Promise<unknown> => {
    built ??= (db as unknown as DrizzleInternals).dialect.sqlToQuery(build());
    return runBuilt(db, { sql: built.sql, params: fillPlaceholders(built.params, values) });
  };
}

/** Whether a pooler refused a named statement in this process, which then stopped naming them. */
export const preparedStatementsRefused = () => refused;

/** Names statements again (tests that start over with another connection). */
export function resetPreparedStatements() {
  refused = false;
}

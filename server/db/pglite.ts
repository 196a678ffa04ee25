import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { type Db, type DbHandle, migrationsFolder } from "./handle";
import { PGLITE_CONF } from "./pglite-conf";
import * as schema from "./schema";

/**
 * PGlite handles: the embedded install's database (opened by openEmbeddedDb in ./index, which loads
 * this module only in embedded mode) and in-memory databases for tests and throwaway runs.
 */
export { PGLITE_CONF, PGlite };

export function pgliteHandle(client: PGlite, onClose?: () => Promise<void>): DbHandle {
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite: client,
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: migrationsFolder() });
    },
    async ping() {
      await client.query("select 1");
    },
    async close() {
      await onClose?.();
      await client.close();
    },
  };
}

/**
 * An in-memory PGlite database, for tests and throwaway runs. `from`: a data directory to start
 * from (a `dumpDataDir` tarball, e.g. an already migrated one), which skips PGlite's initdb.
 */
export function openMemoryDb(from?: Blob): DbHandle {
  return pgliteHandle(new PGlite({ loadDataDir: from, postgresqlconf: PGLITE_CONF }));
}

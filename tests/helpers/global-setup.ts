import { openDb } from "@/server/db";

/**
 * With DATABASE_URL (CI, scale-out runs) the suite shares one PostgreSQL database: migrate it once
 * here. Without it each test file migrates its own in-memory PGlite. Either way, say which.
 */
export default async function setup() {
  const pg = process.env.DATABASE_URL;
  const redis = process.env.REDIS_URL;
  console.log(
    `\n[organic tests] database: ${pg ? `PostgreSQL (${new URL(pg).pathname.slice(1)})` : "PGlite in memory"}; ` +
      `jobs: ${redis ? "BullMQ on Redis" : "in-process runner"}` +
      (redis ? "" : " — tests that need Redis are skipped (set REDIS_URL to run them)") +
      "\n",
  );
  if (pg) {
    const handle = await openDb();
    await handle.migrate();
    await handle.close();
  }
}

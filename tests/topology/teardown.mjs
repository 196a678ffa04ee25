/**
 * Drops what a topology run made outside its processes: its database and its Redis keys. Usage:
 * node tests/topology/teardown.mjs <postgres admin URL> <database> <redis URL> <queue prefix>.
 * A script of its own so that a run stopped by a signal can run it synchronously (spawnSync) before
 * its vitest worker goes away.
 */
import Redis from "ioredis";
import pg from "pg";

const [adminUrl, dbName, redisUrl, prefix] = process.argv.slice(2);
if (!/^[a-z0-9_]+$/.test(dbName ?? "") || !prefix)
  throw new Error("usage: teardown.mjs ADMIN_URL DB REDIS_URL PREFIX");

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`drop database if exists ${dbName} with (force)`);
await admin.end();

const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
await redis.connect();
let cursor = "0";
do {
  const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
  if (keys.length) await redis.del(...keys);
  cursor = next;
} while (cursor !== "0");
await redis.quit();

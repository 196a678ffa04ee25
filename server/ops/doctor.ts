import "server-only";
import { asc, eq, isNotNull, sql } from "drizzle-orm";
import Redis from "ioredis";
import nodemailer from "nodemailer";
import { type Env, env } from "@/lib/env";
import { EVICTION_POLICY_FIX, redisEvictionPolicy } from "@/lib/redis";
import { EncryptionKeyError, parseEncryptionKey } from "@/lib/secret-box";
import { type DbHandle, migrationsFolder, openDb } from "@/server/db";
import { pendingMigrations } from "@/server/db/migrate-postgres";
import { senderDomains, workspaces } from "@/server/db/schema";
import {
  verificationRecordName,
  verificationRecordValue,
} from "@/server/services/email/sender-domain-schemas";
import { lookupTxt, operatorSenderDomain } from "@/server/services/email/sender-domains";
import { storageKind } from "@/server/storage";

/**
 * `npm run cli -- doctor`: checks what a deployment depends on and says what to fix. Reads and
 * connects only; changes nothing (no migration, no config change, no mail sent).
 */

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

const ok = (name: string, message: string): CheckResult => ({ name, status: "ok", message });
const warn = (name: string, message: string, fix?: string): CheckResult => ({
  name,
  status: "warn",
  message,
  fix,
});
const fail = (name: string, message: string, fix?: string): CheckResult => ({
  name,
  status: "fail",
  message,
  fix,
});

const errorText = (err: unknown) => (err instanceof Error ? err.message || err.name : String(err));

export function checkAppUrl(e: Env): CheckResult {
  const production = e.NODE_ENV === "production";
  if (!e.APP_URL) {
    const message = "APP_URL is not set: links in emails, feeds and OAuth callbacks use http://HOST:PORT";
    const fix = "set APP_URL to the public address people open, e.g. https://organic.example.com";
    return production ? fail("APP_URL", message, fix) : warn("APP_URL", message, fix);
  }
  const url = new URL(e.APP_URL);
  if (production && url.protocol !== "https:") {
    return fail(
      "APP_URL",
      `APP_URL is ${url.protocol}// in production: session cookies and links would travel unencrypted`,
      "serve the app over https (a proxy in front is fine) and set APP_URL=https://…",
    );
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    return warn(
      "APP_URL",
      `APP_URL has a path or query (${e.APP_URL})`,
      "use the origin only, e.g. https://organic.example.com",
    );
  }
  return ok("APP_URL", `${url.origin}`);
}

export function checkSecrets(e: Env): CheckResult[] {
  const production = e.NODE_ENV === "production";
  const results: CheckResult[] = [];
  if (e.BETTER_AUTH_SECRET) {
    results.push(ok("BETTER_AUTH_SECRET", `set (${e.BETTER_AUTH_SECRET.length} characters)`));
  } else {
    const message = "not set: a secret is generated into DATA_DIR, so each host would sign with its own";
    const fix =
      "set BETTER_AUTH_SECRET (at least 32 characters: openssl rand -base64 48), the same on every web process and worker";
    results.push(
      production && e.DATABASE_URL
        ? fail("BETTER_AUTH_SECRET", message, fix)
        : warn("BETTER_AUTH_SECRET", message, fix),
    );
  }
  if (e.ENCRYPTION_KEY) {
    try {
      parseEncryptionKey(e.ENCRYPTION_KEY);
      results.push(ok("ENCRYPTION_KEY", "32 bytes"));
    } catch (err) {
      if (!(err instanceof EncryptionKeyError)) throw err;
      results.push(fail("ENCRYPTION_KEY", err.message, "generate one with: openssl rand -hex 32"));
    }
  } else {
    const message =
      "not set: a key is generated into DATA_DIR; tokens it encrypted are unreadable on another host";
    const fix =
      "set ENCRYPTION_KEY (openssl rand -hex 32), the same everywhere, and keep a copy with your backups";
    // Embedded (no DATABASE_URL): one process, one data folder — the generated key works if backed up.
    results.push(
      production && e.DATABASE_URL
        ? fail("ENCRYPTION_KEY", message, fix)
        : warn("ENCRYPTION_KEY", message, fix),
    );
  }
  return results;
}

export async function checkRedis(e: Env): Promise<CheckResult> {
  if (!e.REDIS_URL) return ok("Redis", "not configured (embedded mode: jobs run inside the app process)");
  const client = new Redis(e.REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    const policy = await redisEvictionPolicy(client);
    if (policy === null) {
      return warn(
        "Redis",
        "reachable, but maxmemory-policy cannot be read: CONFIG is disabled on this server",
        "make sure the policy is noeviction in your provider's settings",
      );
    }
    if (policy !== "noeviction") {
      return fail(
        "Redis",
        `maxmemory-policy is ${policy}: Redis may evict queued jobs under memory pressure`,
        EVICTION_POLICY_FIX,
      );
    }
    return ok("Redis", "reachable, maxmemory-policy noeviction");
  } catch (err) {
    return fail(
      "Redis",
      `cannot reach Redis: ${errorText(err)}`,
      "check REDIS_URL and that Redis is running",
    );
  } finally {
    client.disconnect();
  }
}

export async function checkS3(e: Env): Promise<CheckResult> {
  let kind: string;
  try {
    kind = storageKind();
  } catch (err) {
    return fail("S3", errorText(err));
  }
  if (kind !== "s3") {
    const where = kind === "postgres" ? "in PostgreSQL" : "on local disk under DATA_DIR/uploads";
    return ok("S3", `not configured (files are stored ${where})`);
  }
  try {
    await (await import("@/server/storage/s3")).checkS3Bucket(e);
    return ok("S3", `bucket ${e.S3_BUCKET} reachable`);
  } catch (err) {
    return fail("S3", errorText(err), "check S3_BUCKET, S3_ENDPOINT, S3_REGION and the S3_* credentials");
  }
}

/** SMTP_URL with short connection and greeting timeouts (nodemailer reads options from the query). */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const key of ["connectionTimeout", "greetingTimeout"]) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, "5000");
  }
  return url.toString();
}

export async function checkSmtp(e: Env): Promise<CheckResult> {
  if (!e.SMTP_URL) {
    const message = "SMTP_URL is not set: app mail (invitations, password resets) waits in the in-app outbox";
    return e.NODE_ENV === "production"
      ? warn("SMTP", message, "set SMTP_URL=smtp://user:password@host:587")
      : ok("SMTP", message);
  }
  const transport = nodemailer.createTransport(withTimeouts(e.SMTP_URL));
  try {
    await transport.verify();
    return ok("SMTP", "the server accepted the connection and the login");
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "EAUTH") {
      return fail(
        "SMTP",
        `the SMTP server refused the login: ${errorText(err)}`,
        "check the user and password in SMTP_URL",
      );
    }
    return fail(
      "SMTP",
      `cannot reach the SMTP server: ${errorText(err)}`,
      "check the host and port in SMTP_URL",
    );
  } finally {
    transport.close();
  }
}

export async function checkDatabase(handle: DbHandle): Promise<CheckResult> {
  try {
    await handle.ping();
  } catch (err) {
    return fail(
      "database",
      `cannot reach the database: ${errorText(err)}`,
      "check DATABASE_URL and that PostgreSQL is running",
    );
  }
  const query = async (text: string) => ({
    rows: ((await handle.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows,
  });
  const { pending, total, ahead } = await pendingMigrations(query, migrationsFolder());
  if (ahead) {
    return fail(
      "database",
      "the database was migrated by a newer version of Organic than this one",
      "run the newer version, or restore a backup taken before the upgrade",
    );
  }
  if (pending > 0) {
    return warn(
      "database",
      `reachable; ${pending} of ${total} migrations not applied yet`,
      "run npm run cli -- migrate (the app and the worker also migrate when they start)",
    );
  }
  return ok("database", `reachable, all ${total} migrations applied`);
}

/** At most this many verified sender domains are looked up (each is a DNS query). */
const MAX_DOMAINS = 50;

/**
 * The operator's own sender domain (EMAIL_FROM) should publish SPF; every verified sender domain
 * should still publish its verification record (the next Verify un-verifies a domain without it).
 */
export async function checkDns(e: Env, handle: DbHandle | null): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const operator = operatorSenderDomain();
  if (!operator || operator === "localhost" || operator.endsWith(".localhost")) {
    const message = `EMAIL_FROM (${e.EMAIL_FROM}) is not at a real domain`;
    const fix = "set EMAIL_FROM to an address at a domain you control";
    results.push(e.NODE_ENV === "production" ? warn("DNS", message, fix) : ok("DNS", message));
  } else {
    const spf = await lookupTxt(operator);
    if ("found" in spf && spf.found.some((v) => v.toLowerCase().startsWith("v=spf1"))) {
      results.push(ok("DNS", `${operator} (EMAIL_FROM) publishes SPF`));
    } else if ("unreachable" in spf) {
      results.push(warn("DNS", spf.unreachable, "check DNS_SERVERS or this host's resolvers"));
    } else {
      results.push(
        warn(
          "DNS",
          `no SPF record at ${operator} (EMAIL_FROM): receivers may treat its mail as spam`,
          `publish a TXT record "v=spf1 …" at ${operator} naming your SMTP provider`,
        ),
      );
    }
  }
  if (!handle) return results;
  const rows = await handle.db
    .select({
      domain: senderDomains.domain,
      token: senderDomains.verificationToken,
      workspace: workspaces.slug,
    })
    .from(senderDomains)
    .innerJoin(workspaces, eq(workspaces.id, senderDomains.workspaceId))
    .where(isNotNull(senderDomains.verifiedAt))
    .orderBy(asc(senderDomains.domain))
    .limit(MAX_DOMAINS);
  for (const row of rows) {
    const name = verificationRecordName(row.domain);
    const expected = verificationRecordValue(row.token);
    const found = await lookupTxt(name);
    const label = `${row.domain} (workspace ${row.workspace})`;
    if ("found" in found && found.found.includes(expected))
      results.push(ok("DNS", `${label}: verification record in place`));
    else if ("unreachable" in found) results.push(warn("DNS", `${label}: ${found.unreachable}`));
    else {
      results.push(
        warn(
          "DNS",
          `${label} is verified, but its TXT record at ${name} is gone: its next check will un-verify it`,
          `publish TXT ${name} = ${expected} again`,
        ),
      );
    }
  }
  return results;
}

/** Every check, in the order they are printed. The database is opened (not migrated) and closed. */
export async function runDoctor(): Promise<CheckResult[]> {
  let e: Env;
  try {
    e = env();
  } catch (err) {
    return [fail("environment", errorText(err), "fix the variables named above")];
  }
  const results: CheckResult[] = [checkAppUrl(e), ...checkSecrets(e)];
  let handle: DbHandle | null = null;
  try {
    handle = await openDb();
    results.push(await checkDatabase(handle));
  } catch (err) {
    results.push(
      fail("database", `cannot open the database: ${errorText(err)}`, "check DATABASE_URL (or DATA_DIR)"),
    );
    await handle?.close().catch(() => {});
    handle = null;
  }
  try {
    const [redis, s3, smtp] = await Promise.all([checkRedis(e), checkS3(e), checkSmtp(e)]);
    results.push(redis, s3, smtp, ...(await checkDns(e, handle)));
  } finally {
    await handle?.close();
  }
  return results;
}

const LABEL: Record<CheckStatus, string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };

export function formatDoctor(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.flatMap((r) => [
    `${LABEL[r.status]}  ${r.name.padEnd(width)}  ${r.message}`,
    ...(r.fix && r.status !== "ok" ? [`${" ".repeat(width + 8)}fix: ${r.fix}`] : []),
  ]);
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  lines.push(
    "",
    failed ? `${failed} check(s) failed, ${warned} warning(s).` : `No failures, ${warned} warning(s).`,
  );
  return lines.join("\n");
}

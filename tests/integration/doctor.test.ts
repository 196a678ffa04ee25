import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { type CheckResult, checkRedis } from "@/server/ops/doctor";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { runCli } from "../helpers/cli-process";
import { setupTestDb } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";
import { type OwnRedis, startOwnRedis } from "../helpers/redis-server";
import { type S3Server, startS3Server } from "../helpers/s3-server";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";

/*
 * `npm run cli -- doctor` against real services: a redis-server of the test's own (allkeys-lru, then
 * switched to noeviction on that server only), s3rver, an SMTP server that requires a login, and the
 * DNS stand-in. One run with everything wrong (exit 1, each problem named with its fix), one with
 * everything right (exit 0).
 */

const hasPostgres = Boolean(process.env.DATABASE_URL);

describe.skipIf(!hasPostgres)("cli doctor (needs DATABASE_URL)", () => {
  const suffix = randomUUID().slice(0, 8);
  const goneDomain = `0doctor-gone-${suffix}.test`;
  const keptDomain = `0doctor-kept-${suffix}.test`;
  const spfDomain = `doctor-spf-${suffix}.test`;
  let redis: OwnRedis;
  let s3: S3Server;
  let smtp: SmtpSink;

  beforeAll(async () => {
    const dns = await startDnsStandInForFile();
    const h = await setupTestDb();
    redis = await startOwnRedis("allkeys-lru");
    s3 = await startS3Server(`doctor-${suffix}`);
    smtp = await startSmtpSink({ auth: { user: "organic", pass: "right-password" } });
    const owner = await createUser(h.db);
    const ws = await createWorkspace(h.db, owner);
    await verifySenderDomainThroughDns(h.db, dns, ws.id, goneDomain);
    await verifySenderDomainThroughDns(h.db, dns, ws.id, keptDomain);
    dns.removeTxt(`_organic.${goneDomain}`);
    dns.setTxt(spfDomain, "v=spf1 ip4:127.0.0.1 -all");
  }, 120_000);
  afterAll(async () => {
    await redis?.stop();
    await s3?.stop();
    await smtp?.close();
  });

  const smtpUrl = (pass: string) => `smtp://organic:${pass}@127.0.0.1:${smtp.port}`;

  async function doctor(vars: Record<string, string>) {
    const run = await runCli(["doctor", "--json"], {
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "doctor-test-secret-doctor-test-secret-0123",
      ...vars,
    });
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: CheckResult[] };
    const check = (name: string, has?: string) =>
      report.checks.find((c) => c.name === name && (!has || c.message.includes(has)));
    return { run, report, check };
  }

  it("names every problem with its fix, and exits 1", { timeout: 180_000 }, async () => {
    const { run, report, check } = await doctor({
      APP_URL: "http://organic.example.test",
      ENCRYPTION_KEY: "too-short",
      REDIS_URL: redis.url,
      ...s3.env,
      S3_BUCKET: "no-such-bucket",
      SMTP_URL: smtpUrl("wrong-password"),
      EMAIL_FROM: `Ops <ops@doctor-nospf-${suffix}.test>`,
    });
    expect(run.code, run.stderr).toBe(1);
    expect(report.ok).toBe(false);
    expect(check("APP_URL")).toMatchObject({ status: "fail", message: expect.stringContaining("http://") });
    expect(check("ENCRYPTION_KEY")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("openssl rand -hex 32"),
    });
    expect(check("Redis")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("maxmemory-policy is allkeys-lru"),
      fix: expect.stringContaining("noeviction"),
    });
    expect(check("S3")).toMatchObject({ status: "fail", message: "bucket no-such-bucket does not exist" });
    expect(check("SMTP")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("refused the login"),
    });
    expect(check("DNS", `doctor-nospf-${suffix}.test`)).toMatchObject({
      status: "warn",
      message: expect.stringContaining("no SPF"),
    });
    expect(check("DNS", goneDomain)).toMatchObject({
      status: "warn",
      message: expect.stringContaining("is gone"),
    });
    expect(check("DNS", keptDomain)).toMatchObject({ status: "ok" });
    expect(check("database")).toMatchObject({ status: "ok" });
  });

  it("passes when everything is right, and exits 0", { timeout: 180_000 }, async () => {
    // Our own server: the shared Redis's configuration is never changed.
    const client = new Redis(redis.url);
    await client.config("SET", "maxmemory-policy", "noeviction");
    client.disconnect();

    const { run, report, check } = await doctor({
      APP_URL: "https://organic.example.test",
      ENCRYPTION_KEY: "ab".repeat(32),
      REDIS_URL: redis.url,
      ...s3.env,
      SMTP_URL: smtpUrl("right-password"),
      EMAIL_FROM: `Ops <ops@${spfDomain}>`,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(report.ok).toBe(true);
    for (const name of [
      "APP_URL",
      "BETTER_AUTH_SECRET",
      "ENCRYPTION_KEY",
      "database",
      "Redis",
      "S3",
      "SMTP",
    ]) {
      expect(check(name)?.status, name).toBe("ok");
    }
    expect(check("DNS", spfDomain)).toMatchObject({
      status: "ok",
      message: expect.stringContaining("publishes SPF"),
    });
  });

  it("prints a readable report with ok / warn / FAIL and the fixes", { timeout: 180_000 }, async () => {
    const run = await runCli(["doctor"], {
      NODE_ENV: "production",
      APP_URL: "http://x.example.test",
      REDIS_URL: redis.url,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}APP_URL +APP_URL is http:\/\/ in production/m);
    expect(run.stdout).toMatch(/^ok {4}database +reachable/m);
    expect(run.stdout).toMatch(/fix: serve the app over https/);
    expect(run.stdout).toMatch(/\d+ check\(s\) failed/);
  });

  it("says so when CONFIG is disabled on the Redis server", { timeout: 60_000 }, async () => {
    const locked = await startOwnRedis("allkeys-lru", ["--rename-command", "CONFIG", ""]);
    try {
      const result = await checkRedis({ ...env(), REDIS_URL: locked.url });
      expect(result).toMatchObject({
        status: "warn",
        message: expect.stringContaining("CONFIG is disabled"),
      });
    } finally {
      await locked.stop();
    }
  });
});

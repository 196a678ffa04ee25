import { describe, expect, it } from "vitest";
import { openDb } from "@/server/db";
import { checkHealth, type HealthReport, reuseHealthy } from "@/server/health";
import { InlineQueue } from "@/server/queue/inline";
import { redisUrl, setupTestDb } from "../helpers/db";

const h = await setupTestDb();

describe("health", () => {
  it("is healthy with a working database; redis is 'disabled' without REDIS_URL", async () => {
    const report = await checkHealth({ db: async () => h, queue: () => h.queue });
    expect(report.status).toBe("healthy");
    expect(report.services.database).toBe("ok");
    expect(report.services.queue).toBe("ok");
    expect(report.services.redis).toBe(redisUrl ? "ok" : "disabled");
    expect(report.failing).toEqual([]);
    expect(Number.isNaN(Date.parse(report.timestamp))).toBe(false);
  });

  it("names the database when it is down", async () => {
    // A real PostgreSQL client pointed at a port where nothing listens.
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/nothing";
    const { resetEnvCache } = await import("@/lib/env");
    resetEnvCache();
    const dead = await openDb();
    process.env.DATABASE_URL = saved;
    if (saved === undefined) delete process.env.DATABASE_URL;
    resetEnvCache();
    try {
      const report = await checkHealth({ db: async () => dead, queue: () => h.queue, timeoutMs: 3000 });
      expect(report.status).toBe("unhealthy");
      expect(report.services.database).toBe("down");
      expect(report.failing).toEqual(["database"]);
      expect(report.errors?.database).toBeTruthy();
    } finally {
      await dead.close();
    }
  });

  it("names the queue when it stopped accepting jobs", async () => {
    const q = new InlineQueue(async () => h.db);
    await q.close();
    const report = await checkHealth({ db: async () => h, queue: () => q });
    expect(report.failing).toEqual(["queue"]);
  });

  it("reuses a healthy report for a second, shares one check between concurrent probes, never keeps an unhealthy one", async () => {
    let checks = 0;
    let status: HealthReport["status"] = "healthy";
    const cached = reuseHealthy(async () => {
      checks++;
      return { ...(await checkHealth({ db: async () => h, queue: () => h.queue })), status };
    }, 300);
    const [a, b] = await Promise.all([cached(), cached()]);
    expect(checks).toBe(1);
    expect(b.timestamp).toBe(a.timestamp);
    await cached();
    expect(checks).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    await cached();
    expect(checks).toBe(2);

    status = "unhealthy";
    await new Promise((r) => setTimeout(r, 350));
    expect((await cached()).status).toBe("unhealthy");
    status = "healthy";
    expect((await cached()).status).toBe("healthy");
    expect(checks).toBe(4);
  });
});

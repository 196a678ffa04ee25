import { z } from "zod";
import { described } from "../catalog";
import { defineCommand } from "../util";

export default defineCommand({
  ...described("doctor"),
  options: {},
  schema: z.object({}),
  async run() {
    const { formatDoctor, runDoctor } = await import("@/server/ops/doctor");
    const { closeRedis } = await import("@/lib/redis");
    try {
      const checks = await runDoctor();
      const ok = !checks.some((c) => c.status === "fail");
      // The report is the result either way; a failure still makes the exit code say so.
      if (!ok) process.exitCode = 1;
      return { json: { ok, checks }, human: formatDoctor(checks) };
    } finally {
      await closeRedis();
    }
  },
});

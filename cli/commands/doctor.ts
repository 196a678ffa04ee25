import { z } from "zod";
import { defineCommand } from "../util";

export default defineCommand({
  name: "doctor",
  summary:
    "Check the deployment (APP_URL, secrets, database and migrations, Redis, S3, SMTP, DNS) and say what to fix; exit 1 on a failure",
  usage: "",
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

import { getDbHandle } from "@/server/db";
import { checkHealth } from "@/server/health";
import { getQueue } from "@/server/queue";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await checkHealth({ db: getDbHandle, queue: getQueue });
  return Response.json(report, {
    status: report.status === "healthy" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}

import { getDb } from "@/server/db";
import { observed } from "@/server/observability/http";
import { handleRejectedDownload } from "@/server/services/leads-import/http";
import { getSessionUser } from "@/server/session";

export const dynamic = "force-dynamic";

/** The rejected rows of an import, as CSV with a reason per row. */
async function handleGet(req: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const user = await getSessionUser(req.headers);
  const { jobId } = await params;
  const workspaceId = new URL(req.url).searchParams.get("workspaceId");
  return handleRejectedDownload({ db: await getDb(), user, workspaceId, jobId });
}

export const GET = observed("/api/leads/import/[jobId]/rejected", handleGet);

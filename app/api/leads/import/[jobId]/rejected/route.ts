import { withWorkspace } from "@/server/http/with-workspace";
import { observed } from "@/server/observability/http";
import { rejectedRowsResponse } from "@/server/services/leads-import/http";

export const dynamic = "force-dynamic";

/** The rejected rows of an import, as CSV with a reason per row (`?workspaceId=`; viewers may read). */
const handleGet = withWorkspace<{ jobId: string }>({ minRole: "viewer" }, ({ db, workspaceId, params }) =>
  rejectedRowsResponse(db, workspaceId, params.jobId),
);

export const GET = observed("/api/leads/import/[jobId]/rejected", handleGet);

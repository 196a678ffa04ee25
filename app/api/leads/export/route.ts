import { z } from "zod";
import { withWorkspace } from "@/server/http/with-workspace";
import { observed } from "@/server/observability/http";
import { exportFileName, exportLeadsCsv, filtersFromSearchParams } from "@/server/services/leads/export";
import { leadFiltersSchema } from "@/server/services/leads/schemas";
import { getWorkspaceForUser } from "@/server/services/workspaces";

export const dynamic = "force-dynamic";

/** CSV of the leads matching the list filters, streamed batch by batch (`?workspaceId=`; viewers may read). */
const handleGet = withWorkspace({ minRole: "viewer" }, async ({ req, db, user, ws }) => {
  const params = new URL(req.url).searchParams;
  const workspace = await getWorkspaceForUser(db, user.id, { id: ws.workspaceId });
  const filters = leadFiltersSchema.safeParse(filtersFromSearchParams(params));
  if (!filters.success) {
    return Response.json(
      { error: "Invalid filters", issues: z.flattenError(filters.error) },
      { status: 400 },
    );
  }
  const chunks = exportLeadsCsv(ws, filters.data);
  // The filters are resolved before the header chunk (a segment that needs fixing is refused there):
  // read it before answering, so a refusal is a 4xx rather than a 200 whose download breaks.
  let pending: IteratorResult<string> | null = await chunks.next();
  const encoder = new TextEncoder();
  // Pull-based: the next batch is read from the database only when the client has taken the last.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await chunks.next());
        pending = null;
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(workspace.slug)}"`,
      "cache-control": "no-store",
    },
  });
});

export const GET = observed("/api/leads/export", handleGet);

import { z } from "zod";
import { getDb } from "@/server/db";
import { DomainError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { exportFileName, exportLeadsCsv, filtersFromSearchParams } from "@/server/services/leads/export";
import { leadFiltersSchema } from "@/server/services/leads/schemas";
import { getWorkspaceForUser } from "@/server/services/workspaces";
import { getSessionUser } from "@/server/session";

export const dynamic = "force-dynamic";

/** CSV of the leads matching the list filters, streamed batch by batch. */
async function handleGet(req: Request) {
  const user = await getSessionUser(req.headers);
  if (!user) return Response.json({ error: "Sign in to continue" }, { status: 401 });
  const params = new URL(req.url).searchParams;
  const workspaceId = z.uuid().safeParse(params.get("workspaceId"));
  if (!workspaceId.success) return Response.json({ error: "Workspace not found" }, { status: 404 });
  const db = await getDb();
  let workspace: Awaited<ReturnType<typeof getWorkspaceForUser>>;
  try {
    workspace = await getWorkspaceForUser(db, user.id, { id: workspaceId.data });
  } catch (err) {
    if (err instanceof DomainError && err.code === "NOT_FOUND") {
      return Response.json({ error: "Workspace not found" }, { status: 404 });
    }
    throw err;
  }
  const filters = leadFiltersSchema.safeParse(filtersFromSearchParams(params));
  if (!filters.success) {
    return Response.json(
      { error: "Invalid filters", issues: z.flattenError(filters.error) },
      { status: 400 },
    );
  }
  const ctx = {
    db,
    workspaceId: workspace.id,
    actor: { userId: user.id, ip: clientIp(req.headers), userAgent: req.headers.get("user-agent") },
  };
  const chunks = exportLeadsCsv(ctx, filters.data);
  // The filters are resolved before the header chunk (a segment that needs fixing is refused there):
  // read it before answering, so a refusal is a 4xx rather than a 200 whose download breaks.
  let pending: IteratorResult<string> | null;
  try {
    pending = await chunks.next();
  } catch (err) {
    if (err instanceof DomainError && (err.code === "BAD_REQUEST" || err.code === "NOT_FOUND")) {
      return Response.json({ error: err.message }, { status: err.code === "NOT_FOUND" ? 404 : 400 });
    }
    throw err;
  }
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
}

export const GET = observed("/api/leads/export", handleGet);

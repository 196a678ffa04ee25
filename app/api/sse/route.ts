import { getDb } from "@/server/db";
import { subscribeEvents } from "@/server/events";
import { listWorkspacesForUser } from "@/server/services/workspaces";
import { getSessionUser } from "@/server/session";
import { openEventStream } from "@/server/sse";

export const dynamic = "force-dynamic";

/** Server-sent events for the signed-in user: only events of workspaces they belong to. */
export async function GET(req: Request) {
  const user = await getSessionUser(req.headers);
  if (!user) return Response.json({ error: "Sign in to continue" }, { status: 401 });
  const db = await getDb();
  const only = new URL(req.url).searchParams.get("workspaceId");
  const memberships = async () => new Set((await listWorkspacesForUser(db, user.id)).map((w) => w.id));
  const allowed = await memberships();
  if (only && !allowed.has(only)) return Response.json({ error: "Workspace not found" }, { status: 404 });
  return openEventStream({
    signal: req.signal,
    userId: user.id,
    workspaceIds: allowed,
    only,
    refreshMemberships: memberships,
    subscribe: subscribeEvents,
  });
}

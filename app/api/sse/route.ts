import { env } from "@/lib/env";
import { ipLimitResponse } from "@/lib/ratelimit";
import { subscribeEvents } from "@/server/events";
import { withSession } from "@/server/http/with-workspace";
import { observed } from "@/server/observability/http";
import { listWorkspacesForUser } from "@/server/services/workspaces";
import { acquireStreamSlot, openEventStream } from "@/server/sse";

export const dynamic = "force-dynamic";

/** When a user already holds every stream they may: the client retries later (its own backoff). */
const SLOTS_RETRY_AFTER_SECONDS = 30;

/**
 * Server-sent events for the signed-in user: only events of workspaces they belong to. Connects
 * count against the per-IP limit, and one user holds at most SSE_MAX_STREAMS_PER_USER streams.
 */
async function handleGet(req: Request) {
  const limited = await ipLimitResponse(req.headers);
  return limited ?? stream(req);
}

const stream = withSession(async ({ req, db, user }) => {
  const only = new URL(req.url).searchParams.get("workspaceId");
  const memberships = async () => new Set((await listWorkspacesForUser(db, user.id)).map((w) => w.id));
  const allowed = await memberships();
  if (only && !allowed.has(only)) return Response.json({ error: "Workspace not found" }, { status: 404 });
  const max = env().SSE_MAX_STREAMS_PER_USER;
  const slot = await acquireStreamSlot(user.id, max);
  if (!slot) {
    return Response.json(
      { error: `You already have ${max} live-update connections open. Close a tab and try again.` },
      {
        status: 429,
        headers: { "retry-after": String(SLOTS_RETRY_AFTER_SECONDS), "cache-control": "no-store" },
      },
    );
  }
  return openEventStream({
    signal: req.signal,
    userId: user.id,
    workspaceIds: allowed,
    only,
    refreshMemberships: memberships,
    subscribe: subscribeEvents,
    onClose: slot.release,
  });
});

export const GET = observed("/api/sse", handleGet);

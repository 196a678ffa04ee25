import "server-only";
import { z } from "zod";
import type { SessionUser } from "@/server/api/trpc";
import { type Db, getDb } from "@/server/db";
import type { Role } from "@/server/db/schema";
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from "@/server/errors";
import { clientIp } from "@/server/request-info";
import type { Actor, WorkspaceServiceContext } from "@/server/services/context";
import { assertSsoSatisfied, getMembership, hasRole, roleRefusalMessage } from "@/server/services/workspaces";
import { getSessionUser } from "@/server/session";
import { errorResponse } from "./errors";

/**
 * The one wrapper for route handlers that a session cookie authenticates (uploads, downloads,
 * live updates), as tRPC's `workspaceProcedure` is for procedures: session → membership → role,
 * and every thrown domain error mapped to its status (`server/http/errors.ts`). Signed out is 401;
 * a workspace the user is not in is 404 (never confirming it exists); too low a role is 403.
 */

type RouteParams = Record<string, string | string[]>;
type NextRouteContext<P extends RouteParams> = { params: Promise<P> };

export interface SessionRouteContext<P extends RouteParams = RouteParams> {
  req: Request;
  params: P;
  db: Db;
  user: SessionUser;
  actor: Actor;
}

export interface WorkspaceRouteContext<P extends RouteParams = RouteParams> extends SessionRouteContext<P> {
  workspaceId: string;
  role: Role;
  /** What workspace services take. */
  ws: WorkspaceServiceContext;
}

const workspaceIdSchema = z.uuid("workspaceId must be a UUID");

export function actorOf(user: SessionUser, headers: Headers): Actor {
  return { userId: user.id, ip: clientIp(headers), userAgent: headers.get("user-agent") };
}

/**
 * The membership and role check, for a workspace id from anywhere (query, path, a multipart field).
 * Throws the domain error each refusal maps to.
 */
export async function authorizeWorkspace(
  db: Db,
  user: SessionUser | null,
  workspaceId: unknown,
  minRole: Role,
): Promise<{ workspaceId: string; role: Role }> {
  if (!user) throw new UnauthorizedError();
  const id = workspaceIdSchema.safeParse(workspaceId);
  if (!id.success) {
    throw new ValidationError("workspaceId must be a UUID", { workspaceId: ["workspaceId must be a UUID"] });
  }
  const membership = await getMembership(db, id.data, user.id);
  if (!membership) throw new NotFoundError("Workspace not found");
  assertSsoSatisfied(membership, user.signInMethod);
  if (!hasRole(membership.role, minRole)) throw new ForbiddenError(roleRefusalMessage(minRole));
  return { workspaceId: id.data, role: membership.role };
}

/** Runs `fn`, answering any thrown error with its mapped response. */
export async function mapErrors(fn: () => Promise<Response>, context: Record<string, unknown> = {}) {
  try {
    return await fn();
  } catch (err) {
    return errorResponse(err, context);
  }
}

/** Session and error mapping, for handlers that are not about one workspace (or read it from the body). */
export function withSession<P extends RouteParams = RouteParams>(
  handler: (ctx: SessionRouteContext<P>) => Promise<Response>,
) {
  return (req: Request, route?: NextRouteContext<P>): Promise<Response> =>
    mapErrors(
      async () => {
        const user = await getSessionUser(req.headers);
        if (!user) throw new UnauthorizedError();
        const params = ((await route?.params) ?? {}) as P;
        return handler({ req, params, db: await getDb(), user, actor: actorOf(user, req.headers) });
      },
      { path: new URL(req.url).pathname },
    );
}

/** Session, membership of the workspace named by `workspaceId` (the query's, by default), role. */
export function withWorkspace<P extends RouteParams = RouteParams>(
  opts: { minRole: Role; workspaceId?: (req: Request, params: P) => unknown },
  handler: (ctx: WorkspaceRouteContext<P>) => Promise<Response>,
) {
  const pick = opts.workspaceId ?? ((req: Request) => new URL(req.url).searchParams.get("workspaceId"));
  return withSession<P>(async (ctx) => {
    const { workspaceId, role } = await authorizeWorkspace(
      ctx.db,
      ctx.user,
      pick(ctx.req, ctx.params),
      opts.minRole,
    );
    return handler({ ...ctx, workspaceId, role, ws: { db: ctx.db, actor: ctx.actor, workspaceId } });
  });
}

import { initTRPC, TRPCError } from "@trpc/server";
import type { Logger } from "pino";
import superjson from "superjson";
import { z } from "zod";
import { appUrl } from "@/lib/env";
import { featureOffMessage } from "@/lib/features";
import { logger } from "@/lib/logger";
import { currentRequestId, requestIdFrom } from "@/lib/request-context";
import type { Db } from "@/server/db";
import type { Role } from "@/server/db/schema";
import { DOMAIN_ERRORS, DomainError } from "@/server/errors";
import { switchedOffPart } from "@/server/features";
import { reportError } from "@/server/observability/errors";
import { inSpan } from "@/server/observability/spans";
import { clientIp } from "@/server/request-info";
import type { Actor } from "@/server/services/context";
import { assertSsoSatisfied, getMembership, hasRole, roleRefusalMessage } from "@/server/services/workspaces";
import { hasUnstorableText, UNSTORABLE_TEXT_MESSAGE } from "./input-text";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  /** How this session began (sessions.sign_in_method): "oidc" satisfies a workspace's SSO rule. */
  signInMethod?: string | null;
  /** Whether the address is verified, as the session read it (pages render the notice from it). */
  emailVerified?: boolean;
}

export interface TRPCContext {
  db: Db;
  user: SessionUser | null;
  headers: Headers;
  requestId: string;
  log: Logger;
  actor: Actor;
  /**
   * APP_URL (or the configured address): the base of links that leave the app — invitation emails,
   * OAuth redirect URIs, email previews. Never taken from the request, whose Host and
   * X-Forwarded-Host any client can set.
   */
  baseUrl: string;
  /** Memberships looked up by this request's queries, by workspace id (see membershipFor). */
  memberships: Map<string, Promise<Membership>>;
}

type Membership = Awaited<ReturnType<typeof getMembership>>;

export function createContext(opts: {
  db: Db;
  user: SessionUser | null;
  headers: Headers;
  /** The user's memberships read with the session (server/session.ts), by workspace id: queries use them. */
  memberships?: ReadonlyMap<string, NonNullable<Membership>> | null;
}): TRPCContext {
  // The id the route wrapper gave this request (server/observability/http.ts); callers without one
  // (tests, server-side callers) take the header's or a new one.
  const requestId = currentRequestId() ?? requestIdFrom(opts.headers);
  return {
    db: opts.db,
    user: opts.user,
    headers: opts.headers,
    requestId,
    log: logger.child({ requestId }),
    actor: {
      userId: opts.user?.id ?? null,
      ip: clientIp(opts.headers),
      userAgent: opts.headers.get("user-agent"),
    },
    baseUrl: appUrl(),
    memberships: new Map([...(opts.memberships ?? [])].map(([id, m]) => [id, Promise.resolve(m)])),
  };
}

/**
 * The caller's membership of a workspace. The queries of one request (a page's prefetches, an HTTP
 * batch) share one lookup per workspace, or the one read with the session; a mutation always reads
 * it afresh, so a role changed by an earlier call is what a change is judged by.
 */
function membershipFor(ctx: TRPCContext & { user: SessionUser }, workspaceId: string, type: string) {
  if (type !== "query") return getMembership(ctx.db, workspaceId, ctx.user.id);
  let membership = ctx.memberships.get(workspaceId);
  if (!membership) {
    membership = getMembership(ctx.db, workspaceId, ctx.user.id);
    ctx.memberships.set(workspaceId, membership);
    // A failed lookup is not kept: the next query asks again.
    membership.catch(() => ctx.memberships.delete(workspaceId));
  }
  return membership;
}

export interface ProcedureMeta {
  /** Set by workspaceProcedure: the least role allowed. Read by the isolation tests. */
  minRole?: Role;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      return {
        ...shape,
        data: {
          ...shape.data,
          stack: undefined,
          zodError: cause instanceof z.ZodError ? z.flattenError(cause) : null,
          fieldErrors: cause instanceof DomainError ? (cause.fieldErrors ?? null) : null,
          requestId: ctx?.requestId ?? null,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * What every procedure goes through, as one middleware (each middleware costs tRPC a copy of the
 * call's options and context): a span per procedure, parent of its SQL (HTTP → route → tRPC
 * procedure → SQL); a part switched off by its ENABLE_* flag (the map in lib/features.ts) answers
 * 403; text the database cannot store is refused with a 400 and a message instead of failing there;
 * and the one place that turns thrown errors into tRPC codes (unknown ones are logged and reported
 * with the request id).
 */
const edge = t.middleware(({ ctx, path, type, next, getRawInput }) =>
  inSpan(`trpc ${path}`, { "rpc.system": "trpc", "rpc.method": path, "trpc.type": type }, async () => {
    const off = switchedOffPart("trpc", path);
    if (off) throw new TRPCError({ code: "FORBIDDEN", message: featureOffMessage(off) });
    if (hasUnstorableText(await getRawInput())) {
      throw new TRPCError({ code: "BAD_REQUEST", message: UNSTORABLE_TEXT_MESSAGE });
    }
    const result = await next();
    if (result.ok) return result;
    const err = result.error;
    const cause = err.cause;
    if (cause instanceof DomainError) {
      throw new TRPCError({ code: DOMAIN_ERRORS[cause.code].trpc, message: cause.message, cause });
    }
    if (err.code === "INTERNAL_SERVER_ERROR") {
      ctx.log.error({ err: cause ?? err, path, type }, "unhandled error in procedure");
      reportError(cause ?? err, { path, type, requestId: ctx.requestId });
      throw new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: `Something went wrong on our side. Reference: ${ctx.requestId}`,
      });
    }
    return result;
  }),
);

export const publicProcedure = t.procedure.use(edge);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * For everything inside a workspace: loads the caller's membership once (once per request for queries). A workspace the caller is
 * not in is NOT_FOUND (never FORBIDDEN, which would confirm it exists); a too-low role is FORBIDDEN.
 */
export function workspaceProcedure(minRole: Role = "viewer") {
  return protectedProcedure
    .meta({ minRole })
    .input(z.object({ workspaceId: z.uuid("workspaceId must be a UUID") }))
    .use(async ({ ctx, input, next, type }) => {
      const membership = await membershipFor(ctx, input.workspaceId, type);
      if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "Workspace not found" });
      assertSsoSatisfied(membership, ctx.user.signInMethod);
      if (!hasRole(membership.role, minRole)) {
        throw new TRPCError({ code: "FORBIDDEN", message: roleRefusalMessage(minRole) });
      }
      return next({
        ctx: {
          ...ctx,
          workspaceId: input.workspaceId,
          role: membership.role,
          ws: { db: ctx.db, actor: ctx.actor, workspaceId: input.workspaceId, actorRole: membership.role },
        },
      });
    });
}

import "server-only";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { consume, httpIpRule, rateLimitHeaders } from "@/lib/ratelimit";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { getDb } from "@/server/db";
import { RateLimitError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { getSessionUserAndMemberships } from "@/server/session";
import { proxyRefusal } from "@/server/upload-guard";

/**
 * The tRPC endpoint, served by app/api/trpc/[trpc]/route.ts and by the API fast path
 * (server/http/api-fast-path.ts). proxy.ts does not run for tRPC's plain paths (speed: see
 * PROXY_FREE_PATHS), so its two refusals come first here: a malformed target (400) and a cross-site
 * mutation riding on the cookies (403).
 */
async function handleTrpc(req: Request) {
  const refused = proxyRefusal(req);
  if (refused) return refused;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      // The per-IP limit comes first, before the session lookup; over it, every call of the batch
      // fails with TOO_MANY_REQUESTS (HTTP 429) and the answer carries Retry-After.
      try {
        await consume(httpIpRule(), clientIp(req.headers) ?? "unknown");
      } catch (err) {
        if (!(err instanceof RateLimitError)) throw err;
        throw new TRPCError({
          code: "TOO_MANY_REQUESTS",
          message: `Too many requests from your network. Try again in ${err.retryAfterSeconds} s.`,
          cause: err,
        });
      }
      // The session and the user's memberships in one statement: a workspace query checks its
      // membership without another.
      const session = await getSessionUserAndMemberships(req.headers);
      return createContext({
        db: await getDb(),
        user: session?.user ?? null,
        memberships: session?.memberships,
        headers: req.headers,
      });
    },
    // The x-request-id header is set by the route wrapper (observed), for every answer.
    responseMeta: ({ errors }) => {
      const limited = errors.find((e) => e.cause instanceof RateLimitError);
      return { headers: limited ? rateLimitHeaders(limited.cause) : {} };
    },
  });
}

export const trpcRoute = observed("/api/trpc/[trpc]", handleTrpc);

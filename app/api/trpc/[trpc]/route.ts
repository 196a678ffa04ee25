import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { getDb } from "@/server/db";
import { getSessionUser } from "@/server/session";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () =>
      createContext({
        db: await getDb(),
        user: await getSessionUser(req.headers),
        headers: req.headers,
      }),
    responseMeta: ({ ctx }) => ({ headers: ctx ? { "x-request-id": ctx.requestId } : {} }),
  });
}

export { handler as GET, handler as POST };

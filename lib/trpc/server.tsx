import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { getDb } from "@/server/db";
import { currentUser } from "@/server/session";
import { makeQueryClient } from "./query-client";

/*
 * Server pages prefetch what their client components will ask for, then hand the cache over with
 * <HydrateClient>: the first paint has the data and the browser does not ask again (the t3 shape).
 * The procedures run in-process with this request's session, through the same middleware (tenant
 * check, roles, feature flags) as over HTTP.
 */

/** One query client per request (React cache), shared by every prefetch of the page. */
export const getQueryClient = cache(makeQueryClient);

const createRequestContext = cache(async () => {
  const h = await headers();
  return createContext({ db: await getDb(), user: await currentUser(), headers: h });
});

/** The same options proxy as the browser's useTRPC(), bound to this request's context. */
export const trpc = createTRPCOptionsProxy({
  router: appRouter,
  ctx: createRequestContext,
  queryClient: getQueryClient,
});

/** The request's prefetched queries, handed to the client components inside. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}

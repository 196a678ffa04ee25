import { QueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import superjson from "superjson";

/**
 * One React Query client's settings for both sides: the browser's (lib/trpc/client.tsx) and the one a
 * server page prefetches into (lib/trpc/server.tsx). The cache crosses from server to browser through
 * superjson, as the tRPC link does, so dates stay dates.
 */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // 4xx answers will not change on retry
        retry: (count, err) => {
          const status =
            err instanceof TRPCClientError ? (err.data?.httpStatus as number | undefined) : undefined;
          return !(status && status < 500) && count < 2;
        },
      },
      dehydrate: { serializeData: superjson.serialize },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

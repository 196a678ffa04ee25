import { trpcRoute } from "@/server/api/trpc-http";

export const dynamic = "force-dynamic";

/** tRPC (server/api/trpc-http.ts); most requests are answered by the API fast path before Next routes them. */
export { trpcRoute as GET, trpcRoute as POST };

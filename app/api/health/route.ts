import { healthRoute } from "@/server/health-http";

export const dynamic = "force-dynamic";

/** The health check (server/health-http.ts); usually answered by the API fast path before Next routes it. */
export { healthRoute as GET };

import "server-only";
import { observed } from "@/server/observability/http";
import { handleRestRequest } from "./handler";

/**
 * The REST API as an HTTP route: every /api/v1 path (and GET /api/v1/openapi.json), routed by the
 * registry in ./registry.ts. Served by app/api/v1/[...path]/route.ts and by the API fast path
 * (server/http/api-fast-path.ts). Bearer API keys only: cookies are never read here.
 */
export const restRoute = observed("/api/v1/[...path]", (request: Request) => handleRestRequest(request));

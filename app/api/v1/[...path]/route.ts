import { handleRestRequest } from "@/server/api/rest/handler";
import { observed } from "@/server/observability/http";

export const dynamic = "force-dynamic";

/**
 * The REST API: every /api/v1 path (and GET /api/v1/openapi.json) is routed by the registry in
 * server/api/rest/registry.ts. Bearer API keys only — cookies are never read here.
 */
const handle = (request: Request) => handleRestRequest(request);

const observedHandler = observed("/api/v1/[...path]", handle);

export {
  observedHandler as DELETE,
  observedHandler as GET,
  observedHandler as OPTIONS,
  observedHandler as PATCH,
  observedHandler as POST,
  observedHandler as PUT,
};

import { handleRestRequest } from "@/server/api/rest/handler";

export const dynamic = "force-dynamic";

/**
 * The REST API: every /api/v1 path (and GET /api/v1/openapi.json) is routed by the registry in
 * server/api/rest/registry.ts. Bearer API keys only — cookies are never read here.
 */
const handle = (request: Request) => handleRestRequest(request);

export { handle as DELETE, handle as GET, handle as OPTIONS, handle as PATCH, handle as POST, handle as PUT };

import { restRoute } from "@/server/api/rest/http";

export const dynamic = "force-dynamic";

/** The REST API (server/api/rest/http.ts); most requests are answered by the API fast path before Next routes them. */
export {
  restRoute as DELETE,
  restRoute as GET,
  restRoute as OPTIONS,
  restRoute as PATCH,
  restRoute as POST,
  restRoute as PUT,
};

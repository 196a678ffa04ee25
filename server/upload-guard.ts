import { NextRequest } from "next/server";
import { ipLimitResponse } from "@/lib/ratelimit";
import {
  crossSiteRefusedResponse,
  isMalformedTarget,
  MALFORMED_TARGET_MESSAGE,
  malformedTargetResponse,
} from "@/lib/request-guard";
import { isSameOriginRequest, needsSameOrigin } from "@/lib/security-headers";
import { allowedOrigins } from "@/proxy";

/** Headers and URL only: a Request built from `req` would take over (lock) its body. */
const viewOf = (req: Request) =>
  req instanceof NextRequest ? req : new NextRequest(req.url, { headers: req.headers });

/** Which of proxy.ts's two refusals a request meets, if any. */
function refusalOf(req: Request): "malformed" | "cross-site" | null {
  const view = viewOf(req);
  const { pathname, search } = view.nextUrl;
  if (isMalformedTarget(pathname, search)) return "malformed";
  if (needsSameOrigin(req.method, pathname) && !isSameOriginRequest(req.headers, allowedOrigins(view)))
    return "cross-site";
  return null;
}

/**
 * proxy.ts's two refusals, answered as the proxy answers them, for a route it does not run for
 * (tRPC, for speed): a target that does not decode to clean text → 400, a cross-site state change
 * riding on the visitor's cookies → 403. Null when the request may go on.
 */
export function proxyRefusal(req: Request): Response | null {
  const refusal = refusalOf(req);
  if (refusal === "malformed") return malformedTargetResponse();
  if (refusal === "cross-site") return crossSiteRefusedResponse();
  return null;
}

/**
 * proxy.ts's checks for the upload routes it does not run for (so that their bodies stream instead
 * of being buffered and cut at 10 MB): a malformed target → 400, a cross-site POST riding on the
 * visitor's cookies → 403 (plain messages, which the upload forms show), then the per-IP limit →
 * 429. Null when the request may go on. Runs before the session is looked up and before a byte of
 * the body is read.
 */
export async function guardUploadRoute(req: Request): Promise<Response | null> {
  const refusal = refusalOf(req);
  if (refusal === "malformed") return Response.json({ error: MALFORMED_TARGET_MESSAGE }, { status: 400 });
  if (refusal === "cross-site")
    return Response.json({ error: "Cross-site request refused" }, { status: 403 });
  return ipLimitResponse(req.headers);
}

import { limitStateHeaders, withHeaders, withLimitState } from "@/lib/ratelimit";
import { isStorableText } from "@/lib/request-guard";
import { getDb } from "@/server/db";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { handleFormPost } from "@/server/services/forms/http";
import { requestBaseUrl } from "@/server/session";

export const dynamic = "force-dynamic";

/**
 * Public signup: no session, no CSRF token (anyone may sign up); rate limits and a honeypot instead.
 * Every answer carries `X-RateLimit-*` (a 429 also `Retry-After`).
 */
async function handlePost(
  req: Request,
  { params }: { params: Promise<{ workspace: string; form: string }> },
) {
  const { workspace, form } = await params;
  // A NUL or a lone surrogate in a slug names no form, and cannot go into a query or a URL.
  if (!isStorableText(workspace) || !isStorableText(form)) {
    return Response.json({ error: "Form not found" }, { status: 404 });
  }
  const db = await getDb();
  // The per-IP and per-address limits are spent inside the service; report the tighter one.
  const { value: res, state } = await withLimitState(() =>
    handleFormPost(req, {
      db,
      workspaceSlug: workspace,
      formSlug: form,
      actor: { userId: null, ip: clientIp(req.headers), userAgent: req.headers.get("user-agent") },
      baseUrl: requestBaseUrl(req.headers),
    }),
  );
  return withHeaders(res, limitStateHeaders(state));
}

export const POST = observed("/api/forms/[workspace]/[form]", handlePost);

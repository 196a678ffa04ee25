import { getDb } from "@/server/db";
import { clientIp } from "@/server/request-info";
import { handleFormPost } from "@/server/services/forms/http";
import { requestBaseUrl } from "@/server/session";

export const dynamic = "force-dynamic";

/** Public signup: no session, no CSRF token (anyone may sign up); rate limits and a honeypot instead. */
export async function POST(
  req: Request,
  { params }: { params: Promise<{ workspace: string; form: string }> },
) {
  const { workspace, form } = await params;
  return handleFormPost(req, {
    db: await getDb(),
    workspaceSlug: workspace,
    formSlug: form,
    actor: { userId: null, ip: clientIp(req.headers), userAgent: req.headers.get("user-agent") },
    baseUrl: requestBaseUrl(req.headers),
  });
}

import { getDb } from "@/server/db";
import { observed } from "@/server/observability/http";
import { requestBaseUrl } from "@/server/request-info";
import { renderRss } from "@/server/services/blog-feed";

export const dynamic = "force-dynamic";

/** Feed readers poll often: let a proxy or the reader keep a copy for a few minutes. */
const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=600";

async function handleGet(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const xml = await renderRss({
    db: await getDb(),
    workspaceSlug: workspace,
    baseUrl: requestBaseUrl(request.headers),
  });
  if (xml === null) {
    return new Response("Blog not found\n", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  return new Response(xml, {
    headers: {
      "content-type": "application/rss+xml; charset=utf-8",
      "cache-control": CACHE_CONTROL,
      // Without APP_URL, links use the request's Host (X-Forwarded-* only with TRUST_PROXY=true).
      vary: "x-forwarded-host, x-forwarded-proto",
    },
  });
}

export const GET = observed("/blog/[workspace]/rss.xml", handleGet);

import { getDb } from "@/server/db";
import { renderRss } from "@/server/services/blog-feed";
import { requestBaseUrl } from "@/server/session";

export const dynamic = "force-dynamic";

/** Feed readers poll often: let a proxy or the reader keep a copy for a few minutes. */
const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=600";

export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
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
      // Links are built from the request's host when APP_URL is unset.
      vary: "x-forwarded-host, x-forwarded-proto",
    },
  });
}

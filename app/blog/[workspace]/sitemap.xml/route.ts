import { getDb } from "@/server/db";
import { observed } from "@/server/observability/http";
import { requestBaseUrl } from "@/server/request-info";
import { renderSitemap } from "@/server/services/blog-feed";

export const dynamic = "force-dynamic";

const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=600";

async function handleGet(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const xml = await renderSitemap({
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
      "content-type": "application/xml; charset=utf-8",
      "cache-control": CACHE_CONTROL,
      vary: "x-forwarded-host, x-forwarded-proto",
    },
  });
}

export const GET = observed("/blog/[workspace]/sitemap.xml", handleGet);

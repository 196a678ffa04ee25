import { getDb } from "@/server/db";
import { featureEnabled } from "@/server/features";
import { observed } from "@/server/observability/http";
import { requestBaseUrl } from "@/server/request-info";
import { renderRobots } from "@/server/services/blog-feed";

export const dynamic = "force-dynamic";

async function handleGet(request: Request) {
  const text = await renderRobots({
    db: await getDb(),
    baseUrl: requestBaseUrl(request.headers),
    blogOn: featureEnabled("blog"),
  });
  return new Response(text, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "public, max-age=300",
      vary: "x-forwarded-host, x-forwarded-proto",
    },
  });
}

export const GET = observed("/robots.txt", handleGet);

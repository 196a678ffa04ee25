import { limitStateHeaders, rateLimitHeaders, spendIpPoint } from "@/lib/ratelimit";
import { getDb } from "@/server/db";
import { RateLimitError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { receiveStoreWebhook } from "@/server/services/attribution/stores";
import { readBodyUpTo } from "@/server/upload-body";

export const dynamic = "force-dynamic";

const LIMIT = { name: "store-webhook-ip", points: 600, durationSeconds: 60 };
/** A Shopify or WooCommerce order is a few kB; anything past this is no order. */
const MAX_BODY = 1024 * 1024;

/**
 * A store's order webhook (Shopify, WooCommerce): `/api/webhooks/stores/<connection id>`, signed
 * with that connection's secret (services/attribution/stores.ts). 401 for a bad signature, 404 for
 * an address no store has, 413 past 1 MB, 429 past 600 a minute from one address.
 */
async function handlePost(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const state = await spendIpPoint(LIMIT, clientIp(req.headers));
  if (state instanceof RateLimitError)
    return Response.json(
      { error: "Too many requests from this address; try again in a minute" },
      { status: 429, headers: rateLimitHeaders(state) },
    );
  const headers = limitStateHeaders(state);
  const body = await readBodyUpTo(req, MAX_BODY);
  if (body === "too-large")
    return Response.json({ error: "The body is larger than 1 MB" }, { status: 413, headers });
  const outcome = await receiveStoreWebhook(await getDb(), id, req.headers, body);
  return Response.json(outcome.body, { status: outcome.status, headers });
}

export const POST = observed("/api/webhooks/stores/[id]", handlePost);

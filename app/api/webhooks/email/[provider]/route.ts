import { limitStateHeaders, rateLimitHeaders, spendIpPoint } from "@/lib/ratelimit";
import { getDb } from "@/server/db";
import { RateLimitError } from "@/server/errors";
import { observed } from "@/server/observability/http";
import { clientIp } from "@/server/request-info";
import { isEmailWebhookProvider, receiveEmailWebhook } from "@/server/services/email/webhooks/receive";
import { readBodyUpTo } from "@/server/upload-body";

export const dynamic = "force-dynamic";

const LIMIT = { name: "email-webhook-ip", points: 1200, durationSeconds: 60 };
/** A SendGrid batch of events is the largest of these; anything past 5 MB is no webhook. */
const MAX_BODY = 5 * 1024 * 1024;

/**
 * Bounce and complaint webhooks of Amazon SES (via SNS), Postmark, SendGrid and Mailgun, each
 * authenticated the provider's way (services/email/webhooks/receive.ts): 401/403 when not, 400 for a
 * payload that is not the provider's, 200 once applied (also for mail that is not ours, said in the
 * JSON), 404 for another provider, 413 past 5 MB, 429 past 1,200 a minute from one address.
 */
async function handlePost(req: Request, { params }: { params: Promise<{ provider: string }> }) {
  const { provider } = await params;
  if (!isEmailWebhookProvider(provider))
    return Response.json(
      { error: "Unknown provider: use ses, postmark, sendgrid or mailgun" },
      { status: 404 },
    );
  const state = await spendIpPoint(LIMIT, clientIp(req.headers));
  if (state instanceof RateLimitError)
    return Response.json(
      { error: "Too many requests from this address; try again in a minute" },
      { status: 429, headers: rateLimitHeaders(state) },
    );
  const headers = limitStateHeaders(state);
  const body = await readBodyUpTo(req, MAX_BODY);
  if (body === "too-large")
    return Response.json({ error: "The body is larger than 5 MB" }, { status: 413, headers });
  const outcome = await receiveEmailWebhook(await getDb(), provider, req.headers, body);
  return Response.json(outcome.body, { status: outcome.status, headers });
}

export const POST = observed("/api/webhooks/email/[provider]", handlePost);

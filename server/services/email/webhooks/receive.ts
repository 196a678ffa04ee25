import "server-only";
import { createHash, createHmac, timingSafeEqual, verify } from "node:crypto";
import { LRUCache } from "lru-cache";
import { env, isRedisEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getRedis } from "@/lib/redis";
import type { Db } from "@/server/db";
import { applyDeliveryReport } from "../bounces";
import { type EmailWebhooksConfig, getEmailWebhooksConfig, sendgridKeyObject } from "./config";
import {
  type ParsedReport,
  parseMailgunEvent,
  parsePostmark,
  parseSendgrid,
  parseSesNotification,
} from "./parse";
import { EMAIL_WEBHOOK_PROVIDERS, type EmailWebhookProvider } from "./schemas";
import { confirmSnsSubscription, snsMessage, verifySnsMessage } from "./sns";

/**
 * `POST /api/webhooks/email/<provider>`: authenticates the request the provider's way, then applies
 * every bounce/complaint it reports to the send it names. Nothing is stored for a request that is
 * not authenticated; the workspace is always the send's (services/email/bounces.ts).
 */

export interface WebhookOutcome {
  status: 200 | 400 | 401 | 403 | 404 | 502 | 503;
  body: Record<string, unknown>;
}

const fail = (status: WebhookOutcome["status"], error: string): WebhookOutcome => ({
  status,
  body: { error },
});

/** Mailgun: how old a signature's timestamp may be (and how long a used token is remembered). */
export const MAILGUN_MAX_AGE_SECONDS = 15 * 60;

export const isEmailWebhookProvider = (p: string): p is EmailWebhookProvider =>
  (EMAIL_WEBHOOK_PROVIDERS as readonly string[]).includes(p);

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Constant-time string equality (hashes first, so lengths never leak either). */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

async function applyAll(db: Db, reports: ParsedReport[]): Promise<WebhookOutcome> {
  let applied = 0;
  let duplicates = 0;
  let notOurs = 0;
  for (const r of reports) {
    if (!r.sendId) {
      notOurs++;
      continue;
    }
    const res = await applyDeliveryReport(db, { ...r, sendId: r.sendId });
    if (res.applied) applied++;
    else if (res.workspaceId) duplicates++;
    else notOurs++;
  }
  return {
    status: 200,
    body: {
      ok: true,
      received: reports.length,
      applied,
      duplicates,
      notOurs,
      ...(reports.length > 0 && notOurs === reports.length
        ? { note: "Not a message this instance sent: nothing was stored" }
        : {}),
    },
  };
}

// --- Amazon SES via SNS -------------------------------------------------------------------------

async function receiveSes(db: Db, config: EmailWebhooksConfig, body: Buffer): Promise<WebhookOutcome> {
  const parsed = snsMessage.safeParse(parseJson(body));
  if (!parsed.success) return fail(400, "Not an Amazon SNS message");
  const m = parsed.data;
  // Checked before any certificate is fetched: an unknown topic costs us no outgoing request.
  if (!(config.sesTopicArns ?? []).includes(m.TopicArn))
    return fail(403, "This SNS topic is not allowed: add its ARN in Settings → Instance → Bounce webhooks");
  const verdict = await verifySnsMessage(m);
  if (verdict === "bad-cert-url") return fail(403, "The signing certificate is not on an Amazon SNS host");
  if (verdict === "cert-unavailable") return fail(401, "The SNS signing certificate could not be fetched");
  if (verdict !== "valid") return fail(401, "The SNS signature does not match");
  if (m.Type === "SubscriptionConfirmation") {
    const confirmed = await confirmSnsSubscription(m);
    if (confirmed === "bad-url") return fail(403, "The subscribe URL is not on an Amazon SNS host");
    if (confirmed === "failed") return fail(502, "Could not confirm the subscription; SNS will retry");
    logger.info({ topic: m.TopicArn }, "SNS subscription confirmed");
    return { status: 200, body: { ok: true, confirmed: true } };
  }
  if (m.Type === "UnsubscribeConfirmation") return { status: 200, body: { ok: true } };
  const reports = parseSesNotification(m.Message, m.MessageId);
  if (!reports) return fail(400, "The SNS Message is not an SES notification");
  return applyAll(db, reports);
}

// --- Postmark (HTTP Basic credentials we generated) ---------------------------------------------

function postmarkAuthorized(config: EmailWebhooksConfig, headers: Headers): boolean | null {
  if (!config.postmarkUsername || !config.postmarkPassword) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(headers.get("authorization")?.trim() ?? "");
  if (!m) return false;
  const given = Buffer.from(m[1]!, "base64").toString("utf8");
  return sameSecret(given, `${config.postmarkUsername}:${config.postmarkPassword}`);
}

// --- SendGrid (ECDSA P-256 over timestamp + raw body) -------------------------------------------

function sendgridAuthorized(config: EmailWebhooksConfig, headers: Headers, body: Buffer): boolean | null {
  if (!config.sendgridPublicKey) return null;
  const signature = headers.get("x-twilio-email-event-webhook-signature");
  const timestamp = headers.get("x-twilio-email-event-webhook-timestamp");
  if (!signature || !timestamp) return false;
  try {
    const key = sendgridKeyObject(config.sendgridPublicKey);
    // No age limit: SendGrid documents none and a replayed batch only repeats events stored once.
    return verify(
      "sha256",
      Buffer.concat([Buffer.from(timestamp, "utf8"), body]),
      key,
      Buffer.from(signature, "base64"),
    );
  } catch {
    return false;
  }
}

// --- Mailgun (HMAC-SHA256 of timestamp + token; token used once) --------------------------------

const usedTokens = new LRUCache<string, true>({ max: 50_000, ttl: MAILGUN_MAX_AGE_SECONDS * 2000 });
const tokenKey = (token: string) => `${env().QUEUE_PREFIX}:mailgun-token:${token}`;

/** Marks a token used; false when it already was (a replay). Redis when shared, else this process. */
async function claimToken(token: string): Promise<boolean> {
  if (isRedisEnabled())
    return (await getRedis()!.set(tokenKey(token), "1", "PX", MAILGUN_MAX_AGE_SECONDS * 2000, "NX")) === "OK";
  if (usedTokens.has(token)) return false;
  usedTokens.set(token, true);
  return true;
}

async function releaseToken(token: string) {
  if (isRedisEnabled()) await getRedis()!.del(tokenKey(token));
  else usedTokens.delete(token);
}

type MailgunCheck = { ok: true; token: string; eventData: unknown } | WebhookOutcome;

function checkMailgun(config: EmailWebhooksConfig, payload: unknown): MailgunCheck {
  const p = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : null;
  const sig =
    p?.signature && typeof p.signature === "object" ? (p.signature as Record<string, unknown>) : null;
  if (!p || !sig || !("event-data" in p))
    return fail(400, "Not a Mailgun webhook (signature and event-data)");
  if (!config.mailgunSigningKey) return fail(403, "Mailgun webhooks are not set up on this instance");
  const { timestamp, token, signature } = sig;
  if (typeof timestamp !== "string" || typeof token !== "string" || typeof signature !== "string")
    return fail(401, "The Mailgun signature is missing");
  const expected = createHmac("sha256", config.mailgunSigningKey)
    .update(timestamp + token)
    .digest("hex");
  if (!sameSecret(signature.toLowerCase(), expected))
    return fail(401, "The Mailgun signature does not match");
  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!Number.isFinite(age) || age > MAILGUN_MAX_AGE_SECONDS)
    return fail(401, "The Mailgun signature is too old (or the clocks differ)");
  return { ok: true, token, eventData: p["event-data"] };
}

// --- entry point --------------------------------------------------------------------------------

export async function receiveEmailWebhook(
  db: Db,
  provider: EmailWebhookProvider,
  headers: Headers,
  body: Buffer,
): Promise<WebhookOutcome> {
  const config = await getEmailWebhooksConfig(db);
  switch (provider) {
    case "ses":
      return receiveSes(db, config, body);
    case "postmark": {
      const ok = postmarkAuthorized(config, headers);
      if (ok === null) return fail(403, "Postmark webhooks are not set up on this instance");
      if (!ok) return fail(401, "Wrong or missing webhook credentials");
      const reports = parsePostmark(parseJson(body));
      if (!reports) return fail(400, "Not a Postmark webhook (a JSON object with RecordType)");
      return applyAll(db, reports);
    }
    case "sendgrid": {
      const ok = sendgridAuthorized(config, headers, body);
      if (ok === null) return fail(403, "SendGrid webhooks are not set up on this instance");
      if (!ok) return fail(401, "The SendGrid signature does not match");
      const reports = parseSendgrid(parseJson(body));
      if (!reports) return fail(400, "Not a SendGrid event batch (a JSON array of events)");
      return applyAll(db, reports);
    }
    case "mailgun": {
      const checked = checkMailgun(config, parseJson(body));
      if (!("ok" in checked)) return checked;
      const reports = parseMailgunEvent(checked.eventData);
      if (!reports) return fail(400, "The Mailgun event-data is not an event");
      if (!(await claimToken(checked.token))) return fail(403, "This Mailgun token was already used");
      try {
        return await applyAll(db, reports);
      } catch (err) {
        await releaseToken(checked.token).catch(() => {});
        throw err;
      }
    }
  }
}

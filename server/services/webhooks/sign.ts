import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** `whsec_` + base64 of 32 random bytes, as the Standard Webhooks spec recommends (24–64 bytes). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** A message id, stable across retries and resends so receivers can drop duplicates. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("base64url")}`;
}

/**
 * The three Standard Webhooks headers for one attempt: `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 over "id.timestamp.body" keyed with the secret's decoded bytes>`.
 */
export function signatureHeaders(secret: string, messageId: string, timestamp: Date, body: string) {
  const signature = new Webhook(secret).sign(messageId, timestamp, body);
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

/** Receiver side (tests, and for users' reference): throws when the signature or timestamp is off. */
export function verifyWebhook(secret: string, body: string, headers: Record<string, string>) {
  return new Webhook(secret).verify(body, headers);
}

import "server-only";
import { createVerify, X509Certificate } from "node:crypto";
import { z } from "zod";
import { cached } from "@/lib/cache";
import { env } from "@/lib/env";
import { guardedFetch } from "@/server/http/guarded-fetch";

/**
 * Amazon SNS HTTP(S) deliveries: the message signature is checked against the X.509 certificate at
 * `SigningCertURL`, which must be an SNS host (SNS_CERT_HOST_PATTERN). Certificates and subscribe
 * URLs are fetched through the guarded client; only SNS_ALLOW_INSECURE (stand-ins) lets them be
 * plain http on a private address.
 */

export const snsMessage = z.object({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1).max(200),
  TopicArn: z.string().min(1).max(500),
  Subject: z.string().max(1000).optional(),
  Message: z.string(),
  Timestamp: z.string().min(1).max(100),
  SignatureVersion: z.enum(["1", "2"]),
  Signature: z.string().min(1).max(4096),
  SigningCertURL: z.string().min(1).max(2000),
  SubscribeURL: z.string().max(4000).optional(),
  Token: z.string().max(2000).optional(),
  UnsubscribeURL: z.string().max(4000).optional(),
});
export type SnsMessage = z.infer<typeof snsMessage>;

/** The canonical "Key\nValue\n" string SNS signs, per message type (absent keys are left out). */
export function snsStringToSign(m: SnsMessage): string {
  const keys =
    m.Type === "Notification"
      ? (["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const)
      : (["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const);
  let out = "";
  for (const k of keys) {
    const v = m[k];
    if (v !== undefined) out += `${k}\n${v}\n`;
  }
  return out;
}

/** An SNS URL we may fetch (certificate or subscribe URL), else null. */
export function allowedSnsUrl(raw: string, kind: "cert" | "subscribe"): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const insecure = env().SNS_ALLOW_INSECURE;
  if (url.protocol !== "https:" && !(insecure && url.protocol === "http:")) return null;
  if (url.username || url.password) return null;
  if (!new RegExp(env().SNS_CERT_HOST_PATTERN).test(url.hostname)) return null;
  if (kind === "cert" && !url.pathname.endsWith(".pem")) return null;
  return url;
}

const fetchInit = () => ({
  allowPrivate: env().SNS_ALLOW_INSECURE,
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
});

async function certificatePem(url: URL): Promise<string> {
  return cached("sns-cert", url.toString(), 24 * 3600 * 1000, async () => {
    const res = await guardedFetch(url, fetchInit());
    if (!res.ok) throw new Error(`The SNS certificate answered ${res.status}`);
    const pem = await res.text();
    new X509Certificate(pem); // refuse to cache something that is no certificate
    return pem;
  });
}

export type SnsVerdict = "valid" | "bad-cert-url" | "bad-signature" | "cert-unavailable";

export async function verifySnsMessage(m: SnsMessage): Promise<SnsVerdict> {
  const url = allowedSnsUrl(m.SigningCertURL, "cert");
  if (!url) return "bad-cert-url";
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(await certificatePem(url));
  } catch {
    return "cert-unavailable";
  }
  const now = Date.now();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return "bad-signature";
  const verifier = createVerify(m.SignatureVersion === "1" ? "RSA-SHA1" : "RSA-SHA256");
  verifier.update(snsStringToSign(m), "utf8");
  try {
    return verifier.verify(cert.publicKey, m.Signature, "base64") ? "valid" : "bad-signature";
  } catch {
    return "bad-signature";
  }
}

/** Confirms a subscription: GET its SubscribeURL (an SNS host, like the certificate). */
export async function confirmSnsSubscription(m: SnsMessage): Promise<"confirmed" | "bad-url" | "failed"> {
  const url = m.SubscribeURL ? allowedSnsUrl(m.SubscribeURL, "subscribe") : null;
  if (!url) return "bad-url";
  try {
    const res = await guardedFetch(url, fetchInit());
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? "confirmed" : "failed";
  } catch {
    return "failed";
  }
}

import type { DeliveryReport } from "../bounces";
import { sendIdFromMessageId } from "../bounces";

/**
 * Provider payloads → bounce/complaint reports. Pure functions over parsed JSON (authentication is
 * receive.ts's job). A report names our send by the Message-ID we gave the message (`<sendId@domain>`)
 * or, where the provider drops it, by the `organic-send-id` metadata/custom argument.
 */

export type ParsedReport = Omit<DeliveryReport, "sendId"> & { sendId: string | null };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const dateOf = (v: unknown): Date | undefined => {
  const d = typeof v === "number" ? new Date(v * 1000) : typeof v === "string" ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
};
const joined = (...parts: (string | undefined)[]) =>
  parts.filter(Boolean).join(" ").slice(0, 2000) || undefined;

/** Metadata keys our sends carry (X-PM-Metadata-…, SendGrid custom args, Mailgun variables). */
const SEND_ID_KEYS = ["organic-send-id", "organic_send_id"];
function sendIdFromMetadata(m: Json | null): string | null {
  if (!m) return null;
  for (const k of SEND_ID_KEYS) {
    const v = str(m[k]);
    if (v) return sendIdFromMessageId(`<${v}@metadata>`);
  }
  return null;
}

const sendIdOf = (messageId: string | undefined, metadata: Json | null) =>
  (messageId ? sendIdFromMessageId(messageId) : null) ?? sendIdFromMetadata(metadata);

// --- Amazon SES (the JSON inside the SNS Message) ---------------------------------------------

function sesMessageId(mail: Json | null): string | undefined {
  const common = obj(mail?.commonHeaders);
  const fromCommon = str(common?.messageId);
  if (fromCommon && sendIdFromMessageId(fromCommon)) return fromCommon;
  const headers = Array.isArray(mail?.headers) ? mail.headers : [];
  for (const h of headers) {
    const o = obj(h);
    if (str(o?.name)?.toLowerCase() === "message-id") return str(o?.value);
  }
  return fromCommon;
}

/** null: the notification is no SES bounce/complaint we understand (malformed Message). */
export function parseSesNotification(message: string, snsMessageId: string): ParsedReport[] | null {
  let n: Json | null;
  try {
    n = obj(JSON.parse(message));
  } catch {
    return null;
  }
  if (!n) return null;
  const type = str(n.notificationType) ?? str(n.eventType);
  const mail = obj(n.mail);
  const sendId = sendIdOf(sesMessageId(mail), null);
  if (type === "Bounce") {
    const b = obj(n.bounce);
    const recipients = Array.isArray(b?.bouncedRecipients) ? b.bouncedRecipients : [];
    return recipients.map((r, i) => {
      const rec = obj(r);
      const status = str(rec?.status);
      const hard = b?.bounceType === "Permanent" || status === "5.4.4";
      return {
        sendId,
        kind: "bounce" as const,
        bounceType: hard ? ("hard" as const) : ("soft" as const),
        source: "ses" as const,
        providerEventId: `${snsMessageId}:${str(rec?.emailAddress)?.toLowerCase() ?? i}`,
        detail: joined(status, str(rec?.diagnosticCode) ?? `${str(b?.bounceType)}/${str(b?.bounceSubType)}`),
        occurredAt: dateOf(b?.timestamp),
      };
    });
  }
  if (type === "Complaint") {
    const c = obj(n.complaint);
    // "not-spam" is the opposite of a complaint (RFC 6430)
    if (c?.complaintFeedbackType === "not-spam") return [];
    const recipients = Array.isArray(c?.complainedRecipients) ? c.complainedRecipients : [];
    return recipients.map((r, i) => ({
      sendId,
      kind: "complaint" as const,
      source: "ses" as const,
      providerEventId: `${snsMessageId}:${str(obj(r)?.emailAddress)?.toLowerCase() ?? i}`,
      detail: joined("Complaint", str(c?.complaintFeedbackType), str(c?.userAgent)),
      occurredAt: dateOf(c?.timestamp),
    }));
  }
  return []; // Delivery, Send, Open…: not ours to record here
}

// --- Postmark ---------------------------------------------------------------------------------

/** Postmark's bounce Types that mean the address is gone (as listmonk counts them). */
const POSTMARK_HARD = new Set(["HardBounce", "BadEmailAddress", "ManuallyDeactivated"]);
const POSTMARK_SOFT = new Set([
  "SoftBounce",
  "Transient",
  "DnsError",
  "SpamNotification",
  "VirusNotification",
  "DMARCPolicy",
]);

export function parsePostmark(body: unknown): ParsedReport[] | null {
  const p = obj(body);
  if (!p || typeof p.RecordType !== "string") return null;
  const sendId = sendIdOf(undefined, obj(p.Metadata));
  const id = p.ID === undefined ? undefined : String(p.ID);
  const occurredAt = dateOf(p.BouncedAt);
  const detail = joined(str(p.Description), str(p.Details));
  if (p.RecordType === "SpamComplaint" || p.Type === "SpamComplaint")
    return [{ sendId, kind: "complaint", source: "postmark", providerEventId: id, detail, occurredAt }];
  if (p.RecordType !== "Bounce") return [];
  const type = str(p.Type) ?? "";
  if (!POSTMARK_HARD.has(type) && !POSTMARK_SOFT.has(type)) return [];
  return [
    {
      sendId,
      kind: "bounce",
      bounceType: POSTMARK_HARD.has(type) ? "hard" : "soft",
      source: "postmark",
      providerEventId: id,
      detail: joined(type, detail),
      occurredAt,
    },
  ];
}

// --- SendGrid ---------------------------------------------------------------------------------

export function parseSendgrid(body: unknown): ParsedReport[] | null {
  if (!Array.isArray(body)) return null;
  const out: ParsedReport[] = [];
  for (const item of body) {
    const e = obj(item);
    if (!e) return null;
    const event = str(e.event);
    const sendId = sendIdOf(str(e["smtp-id"]), e);
    const base = {
      sendId,
      source: "sendgrid" as const,
      providerEventId: str(e.sg_event_id),
      occurredAt: dateOf(e.timestamp),
    };
    const reason = str(e.reason) ?? str(e.response);
    if (event === "bounce") {
      const cls = str(e.bounce_classification)?.toLowerCase();
      const soft = cls === "technical" || cls === "content";
      out.push({
        ...base,
        kind: "bounce",
        bounceType: soft ? "soft" : "hard",
        detail: joined(str(e.status), reason),
      });
    } else if (event === "dropped") {
      // SendGrid did not send: its own suppression list or an invalid address
      if (reason && /unsubscri/i.test(reason)) continue;
      if (reason && /spam/i.test(reason)) out.push({ ...base, kind: "complaint", detail: reason });
      else out.push({ ...base, kind: "bounce", bounceType: "hard", detail: joined("Dropped:", reason) });
    } else if (event === "deferred") {
      // Retried by SendGrid: one soft bounce per message, however often it is deferred.
      const msg = str(e.sg_message_id)?.split(".")[0] ?? sendId;
      out.push({
        ...base,
        kind: "bounce",
        bounceType: "soft",
        providerEventId: msg ? `deferred:${msg}` : base.providerEventId,
        detail: joined("Deferred:", reason),
      });
    } else if (event === "spamreport") {
      out.push({ ...base, kind: "complaint", detail: "Spam report" });
    }
  }
  return out;
}

// --- Mailgun ----------------------------------------------------------------------------------

export function parseMailgunEvent(eventData: unknown): ParsedReport[] | null {
  const e = obj(eventData);
  if (!e || typeof e.event !== "string") return null;
  const headers = obj(obj(e.message)?.headers);
  const sendId = sendIdOf(str(headers?.["message-id"]), obj(e["user-variables"]));
  const base = {
    sendId,
    source: "mailgun" as const,
    providerEventId: str(e.id),
    occurredAt: dateOf(e.timestamp),
  };
  if (e.event === "complained") return [{ ...base, kind: "complaint", detail: "Complaint" }];
  if (e.event !== "failed") return [];
  const status = obj(e["delivery-status"]);
  const code = status?.code === undefined ? undefined : String(status.code);
  const temporary = e.severity === "temporary";
  const messageId = str(headers?.["message-id"]);
  return [
    {
      ...base,
      // Mailgun retries a temporary failure: one soft bounce per message, however often it fails.
      ...(temporary && messageId ? { providerEventId: `temporary:${messageId}`.slice(0, 255) } : {}),
      kind: "bounce",
      bounceType: temporary ? "soft" : "hard",
      detail: joined(
        code,
        str(status?.message) ?? str(status?.description),
        str(e.reason) && `(${e.reason})`,
      ),
    },
  ];
}

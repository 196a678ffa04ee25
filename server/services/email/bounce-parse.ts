import type { HeaderValue } from "mailparser";

/**
 * What a message in the bounce mailbox is (issue 19, point 1): an RFC 3464 delivery status
 * notification (multipart/report; report-type=delivery-status), an RFC 5965 ARF complaint
 * (report-type=feedback-report), a person's reply to one of our messages, or anything else. Pure:
 * no database; bounce-mailbox.ts matches the result to a send.
 */

export type MailboxVerdict =
  | { kind: "bounce"; bounceType: "hard" | "soft"; detail: string }
  | { kind: "complaint"; detail: string }
  | { kind: "reply"; detail: string }
  | { kind: "other"; detail: string };

export interface ParsedMailboxMessage {
  /** The message's own Message-ID (the report's or the reply's). */
  messageId: string | null;
  verdict: MailboxVerdict;
  /** Addresses the message came to, where a VERP return path shows (To, Delivered-To, X-Original-To…). */
  deliveredTo: string[];
  /** Message-IDs of our message it refers to: the returned original's, or In-Reply-To/References. */
  originalMessageIds: string[];
}

const PARSE_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
};
const MAX_RAW = 5 * 1024 * 1024;
const MESSAGE_ID = /<[^<>\s]+@[^<>\s]+>/g;

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

/** A header block (continuation lines folded) as lower-case name → values. */
function headerBlock(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const unfolded = text.replace(/\r?\n[ \t]+/g, " ");
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = out.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    out.set(name, list);
  }
  return out;
}

function splitHead(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: "" };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

function decodeQuotedPrintable(s: string): string {
  return s
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = encoding?.trim().toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") return decodeQuotedPrintable(body);
  return body;
}

/** The parts of a multipart body (one level), each with its headers and decoded body. */
function multipartParts(body: string, boundary: string): Part[] {
  const delimiter = `--${boundary}`;
  const parts: Part[] = [];
  const chunks = body.split(new RegExp(`(?:^|\\r?\\n)${delimiter.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith("--")) break;
    const { head, body: partBody } = splitHead(chunk.replace(/^[ \t]*\r?\n/, ""));
    const headers = headerBlock(head);
    parts.push({ headers, body: decodeBody(partBody, headers.get("content-transfer-encoding")?.[0]) });
  }
  return parts;
}

const contentType = (p: Part) =>
  (p.headers.get("content-type")?.[0] ?? "text/plain").split(";")[0]!.trim().toLowerCase();

/** RFC 3464 status → hard (5.x.x) or soft (4.x.x, or delayed); null when the recipient did not fail. */
function dsnVerdict(statusPart: string): MailboxVerdict | null {
  // Blocks separated by blank lines: the first is per-message, the rest per recipient.
  const blocks = statusPart.split(/\r?\n[ \t]*\r?\n/).map(headerBlock);
  for (const b of blocks.slice(1).concat(blocks.length === 1 ? blocks : [])) {
    const action = b.get("action")?.[0]?.toLowerCase();
    if (action !== "failed" && action !== "delayed") continue;
    const status = /([245])\.\d{1,3}\.\d{1,3}/.exec(b.get("status")?.[0] ?? "")?.[0] ?? "";
    const diagnostic = b.get("diagnostic-code")?.[0]?.replace(/^smtp;\s*/i, "") ?? "";
    const recipient = b.get("final-recipient")?.[0]?.replace(/^rfc822;\s*/i, "") ?? "";
    const hard = action === "failed" && status.startsWith("5");
    const detail = [status, diagnostic || (action === "delayed" ? "delivery delayed" : "delivery failed")]
      .filter(Boolean)
      .join(" ");
    return {
      kind: "bounce",
      bounceType: hard ? "hard" : "soft",
      detail: `${detail}${recipient ? ` (${recipient})` : ""}`.slice(0, 2000),
    };
  }
  return null;
}

function headerAddresses(value: HeaderValue | undefined): string[] {
  if (!value) return [];
  if (typeof value === "string") return [value];
  if (typeof value === "object" && "value" in value && Array.isArray(value.value))
    return value.value.flatMap((a) => (a.address ? [a.address] : []));
  return [];
}

function asList(v: string | string[] | undefined): string[] {
  if (!v) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.match(MESSAGE_ID) ?? []);
}

export async function parseMailboxMessage(source: Buffer): Promise<ParsedMailboxMessage> {
  const raw = source.subarray(0, MAX_RAW);
  // Loaded on first use, as imapflow is (bounce-mailbox.ts): only bounce mailboxes read mail.
  const { simpleParser } = await import("mailparser");
  const mail = await simpleParser(raw, PARSE_OPTIONS);
  const messageId = mail.messageId?.trim() || null;
  const deliveredTo = [
    ...headerAddresses(mail.headers.get("delivered-to")),
    ...headerAddresses(mail.headers.get("x-original-to")),
    ...(mail.to ? (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => headerAddresses(a)) : []),
    ...headerAddresses(mail.headers.get("envelope-to")),
  ].map((a) => a.trim().replace(/^<|>$/g, ""));

  const ct = mail.headers.get("content-type") as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  const reportType = ct?.value === "multipart/report" ? ct.params?.["report-type"]?.toLowerCase() : undefined;
  if (reportType && ct?.params?.boundary) {
    const { body } = splitHead(raw.toString("utf8"));
    const parts = multipartParts(body, ct.params.boundary);
    const original = parts.find((p) => ["message/rfc822", "text/rfc822-headers"].includes(contentType(p)));
    const originalIds = original ? asList(headerBlock(splitHead(original.body).head).get("message-id")) : [];
    let verdict: MailboxVerdict | null = null;
    if (reportType === "delivery-status") {
      const status = parts.find((p) => contentType(p) === "message/delivery-status");
      if (status) {
        verdict = dsnVerdict(status.body);
        originalIds.push(...asList(headerBlock(splitHead(status.body).head).get("x-original-message-id")));
      }
      verdict ??= { kind: "other", detail: "A delivery report with no failed recipient" };
    } else if (reportType === "feedback-report") {
      const fb = parts.find((p) => contentType(p) === "message/feedback-report");
      const fields = fb ? headerBlock(fb.body) : new Map<string, string[]>();
      const type = fields.get("feedback-type")?.[0]?.toLowerCase() ?? "";
      for (const from of fields.get("original-mail-from") ?? []) deliveredTo.push(from.replace(/^<|>$/g, ""));
      const reporter = fields.get("user-agent")?.[0] ?? "";
      verdict =
        type === "abuse"
          ? {
              kind: "complaint",
              detail: `Marked as spam (feedback report${reporter ? ` from ${reporter}` : ""})`,
            }
          : { kind: "other", detail: `A feedback report of type ${type || "unknown"}` };
    }
    return {
      messageId,
      verdict: verdict ?? { kind: "other", detail: `A report of type ${reportType}` },
      deliveredTo,
      originalMessageIds: originalIds,
    };
  }

  const refs = [...asList(mail.inReplyTo), ...asList(mail.references)];
  const auto = String(mail.headers.get("auto-submitted") ?? "no").toLowerCase();
  if (refs.length > 0 && auto === "no") {
    const subject = mail.subject?.slice(0, 200) ?? "";
    return {
      messageId,
      verdict: { kind: "reply", detail: subject ? `Replied: ${subject}` : "Replied" },
      deliveredTo,
      originalMessageIds: refs,
    };
  }
  return {
    messageId,
    verdict: { kind: "other", detail: "Not a report or a reply" },
    deliveredTo,
    originalMessageIds: [],
  };
}

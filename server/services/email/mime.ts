import { randomBytes } from "node:crypto";
import * as mimeFuncs from "nodemailer/lib/mime-funcs";

/**
 * The RFC 5322 message for one outgoing email, built directly (no per-message MIME tree): what the
 * SMTP transport hands to the relay as `raw`, and what the outbox keeps as the header list. One
 * function for both, so the outbox shows exactly the headers a relay would have received.
 *
 * Layout: multipart/alternative with a text/plain and a text/html part, both UTF-8 in base64
 * (native Buffer encoding; lines wrapped at 76 characters as RFC 2045 requires).
 */
export interface MimeInput {
  from: { name: string; address: string };
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** Message-ID, List-Unsubscribe, List-Unsubscribe-Post, … (in this order after the standard ones). */
  headers: Record<string, string>;
  date?: Date;
}

/** Headers as a reader sees them (not MIME-encoded), in the order they are written. */
export type HeaderList = Array<[name: string, value: string]>;

export interface BuiltMessage {
  headers: HeaderList;
  raw: Buffer;
}

// Header names we write ourselves; a caller's extra header of the same name is dropped, never doubled.
const RESERVED = new Set([
  "from",
  "to",
  "reply-to",
  "subject",
  "date",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;
const SAFE_PHRASE = /^[a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~ .]*$/;

/** `Name <address>`: the display name quoted or encoded (RFC 2047) as needed. */
export function formatAddress(name: string, address: string): string {
  const n = name.replace(/[\r\n]+/g, " ").trim();
  if (!n) return address;
  if (SAFE_PHRASE.test(n) && !n.includes(".")) return `${n} <${address}>`;
  if (ASCII_PRINTABLE.test(n)) return `"${n.replace(/(["\\])/g, "\\$1")}" <${address}>`;
  return `${mimeFuncs.encodeWord(n, "Q", 52)} <${address}>`;
}

/** A header value safe to write: no line breaks, non-ASCII as encoded words, folded at 78. */
function encodeHeader(name: string, value: string): string {
  const v = value.replace(/[\r\n]+/g, " ");
  const encoded = ASCII_PRINTABLE.test(v) ? v : mimeFuncs.encodeWords(v, "Q", 52);
  return mimeFuncs.foldLines(`${name}: ${encoded}`, 78).replace(/\r?\n$/, "");
}

function base64Lines(value: string): string {
  const b64 = Buffer.from(value, "utf8").toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\r\n");
}

const boundaryPrefix = randomBytes(6).toString("hex");
let boundaryCounter = 0;

export function buildMessage(m: MimeInput): BuiltMessage {
  const headers: HeaderList = [
    [
      "From",
      m.from.name.trim()
        ? `${m.from.name.replace(/[\r\n]+/g, " ").trim()} <${m.from.address}>`
        : m.from.address,
    ],
    ["To", m.to],
  ];
  if (m.replyTo) headers.push(["Reply-To", m.replyTo]);
  headers.push(["Subject", m.subject.replace(/[\r\n]+/g, " ")]);
  headers.push(["Date", (m.date ?? new Date()).toUTCString().replace(/GMT$/, "+0000")]);
  for (const [name, value] of Object.entries(m.headers)) {
    if (!RESERVED.has(name.toLowerCase())) headers.push([name, value.replace(/[\r\n]+/g, " ")]);
  }
  headers.push(["MIME-Version", "1.0"]);

  // base64 never contains "=_", so the boundary cannot occur inside a part.
  const boundary = `=_organic_${boundaryPrefix}_${(boundaryCounter++).toString(36)}`;
  const head = headers.map(([n, v]) =>
    n === "From" ? `From: ${formatAddress(m.from.name, m.from.address)}` : encodeHeader(n, v),
  );
  head.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
  const raw = [
    head.join("\r\n"),
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(m.text),
    `--${boundary}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(m.html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
  headers.push(["Content-Type", "multipart/alternative"]);
  return { headers, raw: Buffer.from(raw, "utf8") };
}

import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { outboxMessages } from "@/server/db/schema";
import { gmailTransportFor } from "@/server/services/integrations/gmail";
import { findWorkspaceSettings } from "@/server/services/workspaces/settings";
import { getDkimSigningKey } from "./dkim";
import { buildMessage } from "./mime";
import { outboxCopy } from "./outbox";
import { type EmailTransport, TransportError } from "./transport-types";

export {
  type EmailTransport,
  type OutgoingEmail,
  TransportError,
  type TransportResult,
} from "./transport-types";

interface SmtpConfig {
  url: string;
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
}

const g = globalThis as unknown as { organicCampaignPools?: Map<string, Transporter> };
const pools = () => (g.organicCampaignPools ??= new Map());

/** Pooled SMTP connections per process and server: at most this many messages are on the wire. */
export const MAX_CONNECTIONS = env().EMAIL_SMTP_MAX_CONNECTIONS;

function poolFor(config: SmtpConfig): Transporter {
  const key = JSON.stringify(config);
  let pool = pools().get(key);
  if (!pool) {
    const url = new URL(config.url);
    pool = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
      secure: url.protocol === "smtps:",
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      maxMessages: 10_000,
      // Local sinks and dev servers have no certificates worth checking; real relays on 587 use
      // STARTTLS, which nodemailer upgrades to on its own.
      tls: url.searchParams.get("tls") === "insecure" ? { rejectUnauthorized: false } : undefined,
      ignoreTLS: url.searchParams.get("ignoreTLS") === "true",
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      dkim: config.dkim ?? undefined,
    });
    pools().set(key, pool);
  }
  return pool;
}

/** Closes pooled SMTP connections (worker shutdown, tests). */
export function closeTransports() {
  for (const p of pools().values()) p.close();
  pools().clear();
}

async function smtpConfigFor(db: Db, workspaceId: string): Promise<SmtpConfig | null> {
  const settings = await findWorkspaceSettings(db, workspaceId);
  const url = settings?.smtp?.url || env().SMTP_URL;
  if (!url) return null;
  // Sealed with the secret box; a key that no longer opens (ENCRYPTION_KEY changed) means unsigned.
  const dkim = settings?.dkim ? await getDkimSigningKey(db, workspaceId) : null;
  return { url, dkim };
}

/** Turns a nodemailer failure into a TransportError: 5xx permanent, everything else temporary. */
export function classifySmtpError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { message?: string; responseCode?: number; response?: string; code?: string };
  const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const message = (e.response ?? e.message ?? String(err)).slice(0, 1000);
  return new TransportError(message, code !== undefined && code >= 500 && code < 600, code);
}

const smtpTransport = (config: SmtpConfig): EmailTransport => ({
  async kind() {
    return "smtp";
  },
  async send(m) {
    // The message is built once, here, as bytes (see mime.ts): nodemailer only pools connections,
    // signs (DKIM) and speaks SMTP — no MIME tree per recipient.
    const { raw } = buildMessage(m);
    const messageId = m.headers["Message-ID"] ?? "";
    try {
      const info = await poolFor(config).sendMail({
        envelope: { from: m.from.address, to: [m.to] },
        raw,
        // Not written (the raw bytes are sent as they are), but it spares nodemailer making up a
        // Message-ID of its own: five random draws per message.
        ...(messageId ? { headers: { "Message-ID": messageId } } : {}),
      });
      if (info.rejected?.length) throw new TransportError(`Rejected: ${info.response ?? ""}`, true, 550);
      return { messageId, accepted: true };
    } catch (err) {
      throw classifySmtpError(err);
    }
  },
});

/** No SMTP configured: keep exactly what would have been sent, for a person to read in the app. */
const outboxTransport = (db: Db, workspaceId: string): EmailTransport => ({
  async kind() {
    return "outbox";
  },
  async send(m) {
    const { headers } = buildMessage(m);
    await db.insert(outboxMessages).values(
      outboxCopy(
        {
          workspaceId,
          kind: "campaign",
          toAddress: m.to,
          fromAddress: m.from.address,
          subject: m.subject.slice(0, 998),
          text: m.text,
          html: m.html,
          headers,
          status: "outbox",
        },
        { seal: false },
      ),
    );
    return { messageId: m.headers["Message-ID"] ?? "", accepted: false };
  },
});

/**
 * The workspace's transport: SMTP (pooled) from `settings.smtp.url` or SMTP_URL, DKIM-signed when
 * `settings.dkim` is set; otherwise the in-app outbox. The choice is made on first use and kept.
 */
export function getTransport(db: Db, workspaceId: string): EmailTransport {
  let resolved: Promise<EmailTransport> | undefined;
  const resolve = () =>
    (resolved ??= gmailTransportFor(db, workspaceId).then(
      async (viaGmail) =>
        viaGmail ??
        smtpConfigFor(db, workspaceId).then((c) => (c ? smtpTransport(c) : outboxTransport(db, workspaceId))),
    ));
  return {
    async kind() {
      return (await resolve()).kind();
    },
    async send(m) {
      return (await resolve()).send(m);
    },
  };
}

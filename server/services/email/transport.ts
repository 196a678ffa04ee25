import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { outboxMessages } from "@/server/db/schema";
import { gmailTransportFor } from "@/server/services/integrations/gmail";
import { findWorkspaceSettings } from "@/server/services/workspaces/settings";
import { getDkimSigningKey } from "./dkim";
import { resolveMailServer } from "./mail-server";
import { buildMessage } from "./mime";
import { outboxCopy } from "./outbox";
import { type DomainKeyPicker, loadDomainKeyPicker } from "./sender-domain-signing";
import type { SmtpOptions } from "./smtp-connect";
import { type EmailTransport, TransportError } from "./transport-types";
import { envelopeSender } from "./verp";

export {
  type EmailTransport,
  type OutgoingEmail,
  TransportError,
  type TransportResult,
} from "./transport-types";

interface SmtpConfig {
  options: SmtpOptions;
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
}

interface Pools {
  byKey: Map<string, Transporter>;
  /** The key each workspace last used: when its settings change, its old pool is closed. */
  keyOf: Map<string, string>;
}
const g = globalThis as unknown as { organicSmtpPools?: Pools };
const pools = () => (g.organicSmtpPools ??= { byKey: new Map(), keyOf: new Map() });

/** Pooled SMTP connections per process and server: at most this many messages are on the wire. */
export const MAX_CONNECTIONS = env().EMAIL_SMTP_MAX_CONNECTIONS;

function poolFor(workspaceId: string, config: SmtpConfig): Transporter {
  const p = pools();
  // The password is part of the key: a changed setting gets a new pool (this process's copy only).
  const key = JSON.stringify({ ...config, guarded: Boolean(config.options.getSocket) });
  const previous = p.keyOf.get(workspaceId);
  if (previous && previous !== key) {
    p.keyOf.delete(workspaceId);
    if (![...p.keyOf.values()].includes(previous)) {
      p.byKey.get(previous)?.close();
      p.byKey.delete(previous);
    }
  }
  p.keyOf.set(workspaceId, key);
  let pool = p.byKey.get(key);
  if (!pool) {
    pool = nodemailer.createTransport({
      ...config.options,
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      maxMessages: 10_000,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      dkim: config.dkim ?? undefined,
    });
    p.byKey.set(key, pool);
  }
  return pool;
}

/** Closes pooled SMTP connections (worker shutdown, tests). */
export function closeTransports() {
  for (const pool of pools().byKey.values()) pool.close();
  pools().byKey.clear();
  pools().keyOf.clear();
}

/** Turns a nodemailer failure into a TransportError: 5xx permanent, everything else temporary. */
export function classifySmtpError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { message?: string; responseCode?: number; response?: string; code?: string };
  const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const message = (e.response ?? e.message ?? String(err)).slice(0, 1000);
  return new TransportError(message, code !== undefined && code >= 500 && code < 600, code);
}

const smtpTransport = (
  workspaceId: string,
  config: SmtpConfig,
  returnPath: string | null,
  domainKey: DomainKeyPicker = () => null,
): EmailTransport => ({
  async kind() {
    return "smtp";
  },
  async send(m) {
    // The message is built once, here, as bytes (see mime.ts): nodemailer only pools connections,
    // signs (DKIM) and speaks SMTP — no MIME tree per recipient.
    const { raw } = buildMessage(m);
    const messageId = m.headers["Message-ID"] ?? "";
    // A verified sender domain's own key (checked ok) signs instead of the pool's workspace key.
    const dkim = domainKey(m.from.address);
    try {
      const info = await poolFor(workspaceId, config).sendMail({
        // MAIL FROM: the send's VERP return path when the workspace set a bounce address (verp.ts).
        envelope: { from: envelopeSender(messageId, returnPath, m.from.address), to: [m.to] },
        raw,
        // Not written (the raw bytes are sent as they are), but it spares nodemailer making up a
        // Message-ID of its own: five random draws per message.
        ...(messageId ? { headers: { "Message-ID": messageId } } : {}),
        ...(dkim ? { dkim } : {}),
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
 * The workspace's transport, as Settings → Sending → Mail server chose (mail-server.ts): Gmail, an
 * SMTP server (pooled; DKIM-signed with the From's verified sender-domain key once its record checked
 * ok, else with `settings.dkim` when set) or the in-app outbox. The choice is
 * made on first use and kept for this transport's life (one send run).
 */
export function getTransport(db: Db, workspaceId: string): EmailTransport {
  let resolved: Promise<EmailTransport> | undefined;
  const resolve = () =>
    (resolved ??= resolveMailServer(db, workspaceId).then(async (server): Promise<EmailTransport> => {
      if (server.kind === "gmail")
        return (await gmailTransportFor(db, workspaceId)) ?? outboxTransport(db, workspaceId);
      if (server.kind === "outbox") return outboxTransport(db, workspaceId);
      // Sealed with the secret box; a key that no longer opens (ENCRYPTION_KEY changed) means unsigned.
      const settings = await findWorkspaceSettings(db, workspaceId);
      const dkim = settings?.dkim ? await getDkimSigningKey(db, workspaceId) : null;
      return smtpTransport(
        workspaceId,
        { options: server.options, dkim },
        settings?.bounces?.returnPath ?? null,
        // Sender domains' own keys, loaded once per send run (this transport's life).
        await loadDomainKeyPicker(db, workspaceId),
      );
    }));
  return {
    async kind() {
      return (await resolve()).kind();
    },
    async send(m) {
      return (await resolve()).send(m);
    },
  };
}

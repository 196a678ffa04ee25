import "server-only";
import net from "node:net";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "@/lib/env";
import {
  BlockedAddressError,
  bareHost,
  createGuardedLookup,
  isPrivateHost,
} from "@/server/http/guarded-fetch";
import type { SmtpSecurity } from "./mail-server-schemas";

/**
 * How nodemailer reaches an SMTP server. The operator's servers (SMTP_URL, or a URL an operator
 * wrote into a workspace row) are trusted; a server a workspace admin typed in is reached through
 * the SSRF guard: its address is checked when the socket connects (server/http/guarded-fetch.ts),
 * so private, loopback and metadata addresses are refused unless SMTP_ALLOW_PRIVATE=true.
 */
export type SmtpOptions = SMTPTransport.Options;

export function smtpOptionsFromUrl(raw: string): SmtpOptions {
  const url = new URL(raw);
  return {
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
    secure: url.protocol === "smtps:",
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    // Local sinks and dev servers have no certificates worth checking; real relays on 587 use
    // STARTTLS, which nodemailer upgrades to on its own.
    tls: url.searchParams.get("tls") === "insecure" ? { rejectUnauthorized: false } : undefined,
    ignoreTLS: url.searchParams.get("ignoreTLS") === "true",
  };
}

export interface OwnSmtp {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  password: string | null;
}

/** A workspace's own server: the socket is opened by the guard (see guardedSmtpSocket). */
export function smtpOptionsFromOwn(own: OwnSmtp): SmtpOptions {
  return {
    host: own.host,
    port: own.port,
    secure: own.security === "tls",
    requireTLS: own.security === "starttls",
    ignoreTLS: own.security === "none",
    auth: own.username ? { user: own.username, pass: own.password ?? "" } : undefined,
    getSocket: guardedSmtpSocket,
  };
}

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * nodemailer's `getSocket` hook: opens the TCP connection itself with the guarded DNS lookup (and
 * refuses private IP literals), then hands nodemailer the connected socket, which upgrades it to TLS
 * as the options say. With SMTP_ALLOW_PRIVATE=true nodemailer connects on its own.
 */
export function guardedSmtpSocket(
  options: { host?: string; port?: number | string; connectionTimeout?: number },
  callback: (err: Error | null, socketOptions?: { connection: net.Socket } | false) => void,
): void {
  if (env().SMTP_ALLOW_PRIVATE) {
    setImmediate(() => callback(null, false));
    return;
  }
  const host = bareHost(options.host ?? "");
  if (isPrivateHost(host)) {
    setImmediate(() => callback(new BlockedAddressError(host)));
    return;
  }
  const socket = net.connect({
    host,
    port: Number(options.port ?? 587),
    lookup: createGuardedLookup() as never,
  });
  let done = false;
  const finish = (err: Error | null) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    socket.removeListener("error", onError);
    if (err) {
      socket.destroy();
      callback(err);
    } else callback(null, { connection: socket });
  };
  const onError = (err: Error) => finish(err);
  const timer = setTimeout(
    () => finish(Object.assign(new Error("Connection timeout"), { code: "ETIMEDOUT" })),
    options.connectionTimeout ?? CONNECT_TIMEOUT_MS,
  );
  socket.once("connect", () => finish(null));
  socket.on("error", onError);
}

const PRIVATE_REFUSED =
  "refused: it is on a private or loopback network, which this server does not connect to for a workspace. Use the server's public name, or ask the operator to set SMTP_ALLOW_PRIVATE=true.";

/** A failed connection, login or send, in words a person can act on (and the server's answer). */
export function describeSmtpFailure(
  err: unknown,
  where: string,
): { message: string; serverReply: string | null } {
  const e = (err ?? {}) as { code?: string; message?: string; response?: string; responseCode?: number };
  const reply = e.response ? e.response.slice(0, 500) : null;
  const text = e.message ?? String(err);
  if (err instanceof BlockedAddressError || (err as Error)?.name === "BlockedAddressError")
    return { message: `${where} was ${PRIVATE_REFUSED}`, serverReply: null };
  if (e.code === "EAUTH")
    return {
      message: `Authentication failed: ${where} refused the username or password.`,
      serverReply: reply ?? text,
    };
  if (e.code === "ECONNREFUSED" || /ECONNREFUSED/.test(text))
    return {
      message: `Connection refused: nothing accepts mail at ${where}. Check the host and port.`,
      serverReply: null,
    };
  if (e.code === "ENOTFOUND" || e.code === "EDNS" || /ENOTFOUND|EAI_AGAIN/.test(text))
    return { message: `No such host: ${where.split(":")[0]} could not be found in DNS.`, serverReply: null };
  if (e.code === "ETIMEDOUT" || /timeout|timed out/i.test(text))
    return {
      message: `Timed out: ${where} did not answer in time. Check the host, port and firewall.`,
      serverReply: null,
    };
  if (e.code === "ETLS" || /TLS|SSL|certificate|wrong version number|self[- ]signed/i.test(text))
    return {
      message: `TLS error with ${where}: ${text}. Check the security setting (STARTTLS on 587, TLS on 465).`,
      serverReply: reply,
    };
  if (typeof e.responseCode === "number")
    return { message: `${where} refused the message (${e.responseCode}).`, serverReply: reply ?? text };
  return { message: `Could not send through ${where}: ${text}`, serverReply: reply };
}

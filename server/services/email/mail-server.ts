import "server-only";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import { decryptSecret, encryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { ValidationError } from "@/server/errors";
import { getIntegrationRow } from "@/server/integrations/store";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { gmailConfigured, gmailEnabled, testGmail } from "../integrations/gmail";
import type { SettingsSectionValue } from "../workspaces/schemas";
import { readWorkspaceSettings, writeSettingsSection } from "../workspaces/settings";
import {
  DEFAULT_PORT,
  type MailServerInput,
  type MailServerMode,
  type MailServerTestResult,
  type MailServerView,
  mailServerInput,
  type SmtpSecurity,
} from "./mail-server-schemas";
import {
  describeSmtpFailure,
  type OwnSmtp,
  type SmtpOptions,
  smtpOptionsFromOwn,
  smtpOptionsFromUrl,
} from "./smtp-connect";

/**
 * Settings → Sending → Mail server: how a workspace's mail leaves. The operator's server (SMTP_URL)
 * is the default, as listmonk does; a workspace admin may choose its own SMTP server (password
 * sealed with the secret box, never returned) or its connected Gmail account. The transport
 * (transport.ts) reads the choice through `resolveMailServer`.
 */

type StoredSmtp = SettingsSectionValue<"smtp">;

/** Where a workspace's mail goes: Gmail, an SMTP server (options for nodemailer) or the outbox. */
export type ResolvedMailServer =
  | { kind: "gmail" }
  | { kind: "smtp"; options: SmtpOptions; label: string }
  | { kind: "outbox" };

const hostPort = (host: string, port: number | string) =>
  `${host.includes(":") ? `[${host}]` : host}:${port}`;

function operatorDefault(): ResolvedMailServer {
  const url = env().SMTP_URL;
  if (!url) return { kind: "outbox" };
  const options = smtpOptionsFromUrl(url);
  return { kind: "smtp", options, label: hostPort(options.host ?? "", options.port ?? 587) };
}

function ownServer(stored: StoredSmtp | undefined): OwnSmtp | null {
  const own = stored?.own;
  if (!own) return null;
  let password: string | null = null;
  if (own.passwordSealed) {
    try {
      password = decryptSecret(own.passwordSealed);
    } catch {
      // Sealed under another ENCRYPTION_KEY: sign in without it (the server will say so).
      password = null;
    }
  }
  return { host: own.host, port: own.port, security: own.security, username: own.username, password };
}

async function gmailConnected(db: Db, workspaceId: string) {
  if (!gmailEnabled()) return false;
  const row = await getIntegrationRow(db, workspaceId, "gmail");
  return Boolean(row && row.status !== "disconnected");
}

/**
 * The workspace's mail server. With no choice saved (older workspaces) the order is what it always
 * was: a connected Gmail account, a URL an operator wrote into the row, SMTP_URL, the outbox.
 */
export async function resolveMailServer(db: Db, workspaceId: string): Promise<ResolvedMailServer> {
  const stored = (await readWorkspaceSettings(db, workspaceId)).smtp;
  switch (stored?.mode) {
    case "default":
      return operatorDefault();
    case "gmail":
      return (await gmailConnected(db, workspaceId)) ? { kind: "gmail" } : { kind: "outbox" };
    case "own": {
      const own = ownServer(stored);
      if (!own) return { kind: "outbox" };
      return { kind: "smtp", options: smtpOptionsFromOwn(own), label: hostPort(own.host, own.port) };
    }
    default: {
      if (await gmailConnected(db, workspaceId)) return { kind: "gmail" };
      if (stored?.url) {
        const options = smtpOptionsFromUrl(stored.url);
        return { kind: "smtp", options, label: hostPort(options.host ?? "", options.port ?? 587) };
      }
      return operatorDefault();
    }
  }
}

function legacyView(url: string): MailServerView["own"] {
  try {
    const u = new URL(url);
    const security: SmtpSecurity =
      u.protocol === "smtps:" ? "tls" : u.searchParams.get("ignoreTLS") === "true" ? "none" : "starttls";
    return {
      host: u.hostname,
      port: Number(u.port || DEFAULT_PORT[security]),
      security,
      username: decodeURIComponent(u.username),
      passwordSet: Boolean(u.password),
    };
  } catch {
    return null;
  }
}

/** The card's state: the choice, the own server without its password, the default, Gmail. */
export async function getMailServerSettings(db: Db, workspaceId: string): Promise<MailServerView> {
  const stored = (await readWorkspaceSettings(db, workspaceId)).smtp;
  const [resolved, gmailRow] = await Promise.all([
    resolveMailServer(db, workspaceId),
    gmailEnabled() ? getIntegrationRow(db, workspaceId, "gmail") : null,
  ]);
  const def = operatorDefault();
  const legacy = !stored?.mode && Boolean(stored?.url);
  let mode: MailServerMode = stored?.mode ?? "default";
  if (!stored?.mode) mode = resolved.kind === "gmail" ? "gmail" : legacy ? "own" : "default";
  const own = stored?.own
    ? {
        host: stored.own.host,
        port: stored.own.port,
        security: stored.own.security,
        username: stored.own.username,
        passwordSet: Boolean(stored.own.passwordSealed),
      }
    : legacy && stored?.url
      ? legacyView(stored.url)
      : null;
  return {
    mode,
    legacy,
    own,
    serverDefault: def.kind === "smtp" ? def.label : null,
    gmail: {
      available: gmailEnabled() && (await gmailConfigured(db)),
      connected: Boolean(gmailRow && gmailRow.status !== "disconnected"),
      account: gmailRow?.accountName ?? null,
    },
    active: resolved.kind,
  };
}

/**
 * The own server the input describes, the stored password filling in an empty field — but only
 * for the same host and username: a stored password is never handed to another server.
 */
function ownFromInput(
  stored: StoredSmtp | undefined,
  input: ReturnType<typeof mailServerInput.parse>,
): OwnSmtp {
  const typed = input.password ? input.password : null;
  const previous = ownServer(stored);
  const legacy = !stored?.own && stored?.url ? smtpOptionsFromUrl(stored.url) : null;
  const same = (host: string | undefined, user: string | undefined) =>
    host === input.host && (user ?? "") === input.username;
  let password = typed;
  if (password === null && previous?.password && same(previous.host, previous.username))
    password = previous.password;
  if (password === null && legacy?.auth && "pass" in legacy.auth && same(legacy.host, legacy.auth.user))
    password = legacy.auth.pass ?? null;
  const hadPassword = Boolean(stored?.own?.passwordSealed || (legacy?.auth && "pass" in legacy.auth));
  if (password === null && input.username && hadPassword)
    throw new ValidationError(
      "Enter the password for this server (a saved one is only reused for the same server and username)",
      {
        password: ["Enter the password"],
      },
    );
  return { host: input.host, port: input.port, security: input.security, username: input.username, password };
}

export async function saveMailServerSettings(ctx: WorkspaceServiceContext, raw: MailServerInput) {
  const input = mailServerInput.parse(raw);
  const stored = (await readWorkspaceSettings(ctx.db, ctx.workspaceId)).smtp;
  let next: StoredSmtp = { mode: input.mode };
  if (input.mode === "own") {
    const own = ownFromInput(stored, input);
    next = {
      mode: "own",
      own: {
        host: own.host,
        port: own.port,
        security: own.security,
        username: own.username,
        passwordSealed: own.password ? encryptSecret(own.password) : null,
      },
    };
  } else if (stored?.own) {
    // Switching away keeps the own server's settings, so switching back needs no retyping.
    next = { mode: input.mode, own: stored.own };
  }
  await writeSettingsSection(ctx.db, ctx.workspaceId, "smtp", next);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.mail_server_updated",
    { type: "workspace", id: ctx.workspaceId },
    { mode: input.mode, host: input.mode === "own" ? input.host : null },
  );
  return getMailServerSettings(ctx.db, ctx.workspaceId);
}

const TEST_TIMEOUT_MS = 10_000;

/**
 * The Test button: opens a real connection with the entered settings (the saved password filling
 * in an empty field), signs in and sends a short message to the person testing. Never throws for
 * what the server did; the answer comes back in words.
 */
export async function testMailServer(
  ctx: WorkspaceServiceContext,
  p: { to: string; settings: MailServerInput },
): Promise<MailServerTestResult> {
  const input = mailServerInput.parse(p.settings);
  const stored = (await readWorkspaceSettings(ctx.db, ctx.workspaceId)).smtp;
  if (input.mode === "gmail") {
    const r = await testGmail(ctx.db, ctx.workspaceId);
    return { ok: r.ok, message: r.detail, serverReply: null };
  }
  let options: SmtpOptions;
  let where: string;
  if (input.mode === "default") {
    const def = operatorDefault();
    if (def.kind !== "smtp")
      return {
        ok: false,
        message: "This server has no default mail server (SMTP_URL): mail stays in the in-app outbox.",
        serverReply: null,
      };
    options = def.options;
    where = def.label;
  } else {
    const own = ownFromInput(stored, input);
    options = smtpOptionsFromOwn(own);
    where = hostPort(own.host, own.port);
  }
  const settings = await readWorkspaceSettings(ctx.db, ctx.workspaceId);
  const from = settings.sender?.fromEmail ?? env().EMAIL_FROM;
  const transport = nodemailer.createTransport({
    ...options,
    connectionTimeout: TEST_TIMEOUT_MS,
    greetingTimeout: TEST_TIMEOUT_MS,
    socketTimeout: TEST_TIMEOUT_MS,
  });
  try {
    const info = await transport.sendMail({
      from: settings.sender ? { name: settings.sender.fromName, address: from } : from,
      to: p.to,
      subject: "Organic: test message from your mail server settings",
      text: `This message was sent through ${where} to check the mail server settings of your workspace. Nothing else to do.`,
    });
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "workspace.mail_server_tested",
      {
        type: "workspace",
        id: ctx.workspaceId,
      },
      { mode: input.mode, ok: true },
    );
    return {
      ok: true,
      message: `Sent a test message to ${p.to} through ${where}. Check that inbox.`,
      serverReply: info.response ?? null,
    };
  } catch (err) {
    const d = describeSmtpFailure(err, where);
    return { ok: false, message: d.message, serverReply: d.serverReply };
  } finally {
    transport.close();
  }
}

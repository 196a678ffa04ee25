import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ImapFlow, ImapFlowOptions } from "imapflow";
import type { Logger } from "pino";
import { env } from "@/lib/env";
import { logger as rootLogger } from "@/lib/logger";
import { decryptSecret, encryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { emailEvents, emailSends, workspaces } from "@/server/db/schema";
import { ValidationError } from "@/server/errors";
import {
  BlockedAddressError,
  bareHost,
  createGuardedLookup,
  isPrivateHost,
} from "@/server/http/guarded-fetch";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { readWorkspaceSettings, writeSettingsSection } from "../workspaces/settings";
import {
  type BounceMailboxState,
  type BouncesInput,
  type BouncesSection,
  type BouncesView,
  bouncesInput,
  type MailboxPollSummary,
  type MailboxTestResult,
} from "./bounce-mailbox-schemas";
import { parseMailboxMessage } from "./bounce-parse";
import { applyDeliveryReport, sendIdFromMessageId } from "./bounces";
import { exitOnGoal } from "./goals";
import { sendIdFromVerp } from "./verp";

/**
 * Settings → Sending → Bounces: the VERP return path and the IMAP mailbox where bounces (RFC 3464),
 * complaints (RFC 5965 ARF) and replies arrive. The poll reads messages newer than the last UID it
 * saw (per UIDVALIDITY), matches each to one of this workspace's sends by the VERP address it came
 * to or by our Message-ID in the returned original, and applies it once (the report's Message-ID is
 * its provider event id). The host is typed by a workspace admin: it is reached through the SSRF
 * guard, so private addresses are refused unless the operator set SMTP_ALLOW_PRIVATE=true.
 */

type Mailbox = NonNullable<BouncesSection["mailbox"]>;
interface OpenMailbox extends Omit<Mailbox, "passwordSealed"> {
  password: string | null;
}

/** Messages one poll reads at most; the next poll goes on from there. */
export const POLL_BATCH = 200;
const TIMEOUT_MS = 15_000;

const mailboxKey = (m: Pick<Mailbox, "host" | "username" | "folder">) =>
  `${m.host}|${m.username}|${m.folder}`;

function openMailbox(m: Mailbox): OpenMailbox {
  let password: string | null = null;
  if (m.passwordSealed) {
    try {
      password = decryptSecret(m.passwordSealed);
    } catch {
      // Sealed under another ENCRYPTION_KEY: sign in without it (the server will say so).
      password = null;
    }
  }
  const { passwordSealed: _, ...rest } = m;
  return { ...rest, password };
}

export async function getBounceSettings(db: Db, workspaceId: string): Promise<BouncesView> {
  const s = await readWorkspaceSettings(db, workspaceId);
  const m = s.bounces?.mailbox ?? null;
  const state = s.bounceMailboxState;
  return {
    returnPath: s.bounces?.returnPath ?? null,
    mailbox: m
      ? {
          enabled: m.enabled,
          host: m.host,
          port: m.port,
          security: m.security,
          username: m.username,
          passwordSet: Boolean(m.passwordSealed),
          folder: m.folder,
        }
      : null,
    state:
      state && m && state.mailboxKey === mailboxKey(m)
        ? { lastPolledAt: state.lastPolledAt, lastError: state.lastError, lastResult: state.lastResult }
        : null,
  };
}

/** The mailbox the input describes; the stored password fills an empty field for the same host and user only. */
function mailboxFromInput(
  stored: Mailbox | null | undefined,
  input: NonNullable<ReturnType<typeof bouncesInput.parse>["mailbox"]>,
): OpenMailbox {
  const previous = stored ? openMailbox(stored) : null;
  let password = input.password ? input.password : null;
  if (
    password === null &&
    previous?.password &&
    previous.host === input.host &&
    previous.username === input.username
  )
    password = previous.password;
  if (password === null && input.enabled)
    throw new ValidationError(
      "Enter the mailbox password (a saved one is only reused for the same server and username)",
      {
        "mailbox.password": ["Enter the password"],
      },
    );
  return {
    enabled: input.enabled,
    host: input.host,
    port: input.port,
    security: input.security,
    username: input.username,
    folder: input.folder,
    password,
  };
}

export async function saveBounceSettings(
  ctx: WorkspaceServiceContext,
  raw: BouncesInput,
): Promise<BouncesView> {
  const input = bouncesInput.parse(raw);
  const stored = (await readWorkspaceSettings(ctx.db, ctx.workspaceId)).bounces;
  let mailbox: Mailbox | null = null;
  if (input.mailbox?.host) {
    const m = mailboxFromInput(stored?.mailbox, input.mailbox);
    const { password, ...rest } = m;
    mailbox = { ...rest, passwordSealed: password ? encryptSecret(password) : null };
  }
  await writeSettingsSection(ctx.db, ctx.workspaceId, "bounces", {
    returnPath: input.returnPath || null,
    mailbox,
  });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.bounce_settings_updated",
    { type: "workspace", id: ctx.workspaceId },
    {
      returnPath: input.returnPath || null,
      mailboxHost: mailbox?.host ?? null,
      mailboxEnabled: mailbox?.enabled ?? false,
    },
  );
  return getBounceSettings(ctx.db, ctx.workspaceId);
}

function imapOptions(m: OpenMailbox): ImapFlowOptions {
  const allowPrivate = env().SMTP_ALLOW_PRIVATE;
  return {
    host: m.host,
    port: m.port,
    secure: m.security === "tls",
    doSTARTTLS: m.security === "starttls" ? true : m.security === "none" ? false : undefined,
    auth: { user: m.username, pass: m.password ?? "" },
    logger: false,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: 60_000,
    disableAutoIdle: true,
    // The guarded lookup checks every address the name resolves to when the socket connects.
    tls: allowPrivate ? undefined : ({ lookup: createGuardedLookup() } as ImapFlowOptions["tls"]),
  };
}

async function connect(m: OpenMailbox): Promise<ImapFlow> {
  if (!env().SMTP_ALLOW_PRIVATE && isPrivateHost(m.host)) throw new BlockedAddressError(bareHost(m.host));
  // Loaded on first use: only a workspace with a bounce mailbox needs it (4 MB of a worker's heap).
  const { ImapFlow } = await import("imapflow");
  const client = new ImapFlow(imapOptions(m));
  // A dropped connection is reported by the command that was waiting; do not crash the process.
  client.on("error", () => {});
  await client.connect();
  return client;
}

const where = (m: Pick<Mailbox, "host" | "port">) =>
  `${m.host.includes(":") ? `[${m.host}]` : m.host}:${m.port}`;

/** A failed connection, login or folder, in words a person can act on. */
export function describeImapFailure(err: unknown, m: Pick<Mailbox, "host" | "port" | "folder">): string {
  const e = (err ?? {}) as {
    code?: string;
    message?: string;
    authenticationFailed?: boolean;
    responseText?: string;
    serverResponseCode?: string;
  };
  const text = e.responseText || e.message || String(err);
  const at = where(m);
  if (err instanceof BlockedAddressError || (err as Error)?.name === "BlockedAddressError")
    return `${at} was refused: it is on a private or loopback network, which this server does not connect to for a workspace. Use the server's public name, or ask the operator to set SMTP_ALLOW_PRIVATE=true.`;
  if (
    e.authenticationFailed ||
    e.serverResponseCode === "AUTHENTICATIONFAILED" ||
    /AUTHENTICATIONFAILED|authentication failed|invalid credentials/i.test(text)
  )
    return `Authentication failed: ${at} refused the username or password.`;
  if (e.code === "ECONNREFUSED" || /ECONNREFUSED/.test(text))
    return `Connection refused: nothing answers IMAP at ${at}. Check the host and port.`;
  if (e.code === "ENOTFOUND" || /ENOTFOUND|EAI_AGAIN/.test(text))
    return `No such host: ${m.host} could not be found in DNS.`;
  if (
    e.code === "MAILBOX_MISSING" ||
    /NONEXISTENT|doesn't exist|does not exist|Mailbox not found/i.test(text)
  )
    return `The folder "${m.folder}" does not exist in this mailbox.`;
  if (/timeout|timed out/i.test(text) || e.code === "ETIMEDOUT" || e.code === "CONNECT_TIMEOUT")
    return `Timed out: ${at} did not answer in time. Check the host, port and firewall.`;
  if (/TLS|SSL|certificate|wrong version number|self[- ]signed|STARTTLS/i.test(text))
    return `TLS error with ${at}: ${text}. Check the security setting (TLS on 993, STARTTLS on 143).`;
  return `Could not read the mailbox at ${at}: ${text}`;
}

/** The Test connection button: signs in and opens the folder with the entered settings. Never throws for what the server did. */
export async function testBounceMailbox(
  ctx: WorkspaceServiceContext,
  raw: BouncesInput,
): Promise<MailboxTestResult> {
  const input = bouncesInput.parse(raw);
  if (!input.mailbox?.host)
    throw new ValidationError("Enter the IMAP server first", {
      "mailbox.host": ["Enter the IMAP server's host name"],
    });
  const stored = (await readWorkspaceSettings(ctx.db, ctx.workspaceId)).bounces;
  const m = mailboxFromInput(stored?.mailbox, { ...input.mailbox, enabled: false });
  let client: ImapFlow | null = null;
  let result: MailboxTestResult;
  try {
    client = await connect(m);
    const status = await client.status(m.folder, { messages: true });
    if (!status) throw Object.assign(new Error("no such folder"), { code: "MAILBOX_MISSING" });
    result = {
      ok: true,
      message: `Signed in to ${where(m)} and opened "${m.folder}" (${status.messages ?? 0} messages).`,
      messages: status.messages ?? 0,
    };
  } catch (err) {
    result = { ok: false, message: describeImapFailure(err, m), messages: null };
  } finally {
    await client?.logout().catch(() => client?.close());
  }
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.bounce_mailbox_tested",
    { type: "workspace", id: ctx.workspaceId },
    { host: m.host, ok: result.ok },
  );
  return result;
}

/** Workspaces whose bounce mailbox is switched on (the tick polls each). */
export async function workspacesWithBounceMailbox(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(sql`coalesce((${workspaces.settings} -> 'bounces' -> 'mailbox' ->> 'enabled')::boolean, false)`);
  return rows.map((r) => r.id);
}

/** The send a message is about, when it is one of this workspace's sends. */
async function matchSend(db: Db, workspaceId: string, candidates: (string | null)[]) {
  const ids = [...new Set(candidates.filter((c): c is string => Boolean(c)))];
  if (ids.length === 0) return null;
  const rows = await db
    .select({ id: emailSends.id, leadId: emailSends.leadId, campaignId: emailSends.campaignId })
    .from(emailSends)
    .where(and(eq(emailSends.workspaceId, workspaceId), inArray(emailSends.id, ids)));
  // The first candidate that is ours, in the order given (VERP before Message-ID).
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (row) return row;
  }
  return null;
}

type Outcome = "bounce" | "complaint" | "reply" | "ignored";

/** Applies one message of the mailbox; "ignored" for anything not ours or already applied. */
export async function applyMailboxMessage(
  db: Db,
  workspaceId: string,
  source: Buffer,
  fallbackEventId: string,
): Promise<Outcome> {
  const parsed = await parseMailboxMessage(source);
  const { verdict } = parsed;
  if (verdict.kind === "other") return "ignored";
  const eventId = (parsed.messageId ?? fallbackEventId).slice(0, 255);
  const fromVerp = verdict.kind === "reply" ? [] : parsed.deliveredTo.map(sendIdFromVerp);
  const send = await matchSend(db, workspaceId, [
    ...fromVerp,
    ...parsed.originalMessageIds.map(sendIdFromMessageId),
  ]);
  if (!send) return "ignored";
  if (verdict.kind === "reply") {
    const inserted = await db
      .insert(emailEvents)
      .values({
        workspaceId,
        sendId: send.id,
        campaignId: send.campaignId,
        leadId: send.leadId,
        type: "reply",
        source: "imap",
        providerEventId: eventId,
        detail: verdict.detail.slice(0, 2000),
      })
      .onConflictDoNothing()
      .returning({ id: emailEvents.id });
    if (inserted.length === 0) return "ignored";
    await exitOnGoal(db, { workspaceId, leadId: send.leadId, goal: "reply", detail: { sendId: send.id } });
    return "reply";
  }
  const r = await applyDeliveryReport(db, {
    sendId: send.id,
    kind: verdict.kind,
    bounceType: verdict.kind === "bounce" ? verdict.bounceType : undefined,
    source: "imap",
    providerEventId: eventId,
    detail: verdict.detail,
  });
  return r.applied ? verdict.kind : "ignored";
}

async function saveState(db: Db, workspaceId: string, state: BounceMailboxState) {
  await writeSettingsSection(db, workspaceId, "bounceMailboxState", state);
}

/**
 * Reads the new messages of the workspace's bounce mailbox and applies them. A changed UIDVALIDITY
 * (the folder was recreated) starts over from the first message: what was applied before is not
 * applied again (provider event ids). A failure is kept on the card and rethrown for the job.
 */
export async function pollBounceMailbox(
  db: Db,
  workspaceId: string,
  opts: { log?: Logger; force?: boolean } = {},
): Promise<MailboxPollSummary & { skipped?: string }> {
  const log = opts.log ?? rootLogger;
  const settings = await readWorkspaceSettings(db, workspaceId);
  const stored = settings.bounces?.mailbox;
  const empty: MailboxPollSummary = { read: 0, bounces: 0, complaints: 0, replies: 0, ignored: 0 };
  if (!stored || (!stored.enabled && !opts.force))
    return { ...empty, skipped: "No bounce mailbox is switched on" };
  const m = openMailbox(stored);
  const key = mailboxKey(stored);
  const previous = settings.bounceMailboxState?.mailboxKey === key ? settings.bounceMailboxState : null;
  const summary = { ...empty };
  let uidValidity = previous?.uidValidity ?? null;
  let lastUid = previous?.lastUid ?? 0;
  let client: ImapFlow | null = null;
  try {
    client = await connect(m);
    const lock = await client.getMailboxLock(m.folder, { readOnly: true });
    const fetched: { uid: number; source: Buffer }[] = [];
    try {
      const box = client.mailbox;
      const validity = box ? String(box.uidValidity) : null;
      if (validity !== uidValidity) {
        uidValidity = validity;
        lastUid = 0;
      }
      if (box && box.exists > 0) {
        // `n:*` always matches the last message, even when its UID is below n: filter, then take a batch.
        const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
        const uids = (found || [])
          .filter((u) => u > lastUid)
          .sort((a, b) => a - b)
          .slice(0, POLL_BATCH);
        if (uids.length > 0)
          for await (const msg of client.fetch(uids.join(","), { uid: true, source: true }, { uid: true }))
            if (msg.source) fetched.push({ uid: msg.uid, source: msg.source });
      }
    } finally {
      lock.release();
    }
    fetched.sort((a, b) => a.uid - b.uid);
    for (const msg of fetched) {
      const outcome = await applyMailboxMessage(
        db,
        workspaceId,
        msg.source,
        `imap:${uidValidity}:${msg.uid}`,
      );
      summary.read += 1;
      if (outcome === "bounce") summary.bounces += 1;
      else if (outcome === "complaint") summary.complaints += 1;
      else if (outcome === "reply") summary.replies += 1;
      else summary.ignored += 1;
      lastUid = msg.uid;
    }
    await saveState(db, workspaceId, {
      mailboxKey: key,
      uidValidity,
      lastUid,
      lastPolledAt: new Date().toISOString(),
      lastError: null,
      lastResult: summary,
    });
    if (summary.read) log.info({ workspaceId, ...summary }, "bounce mailbox read");
    return summary;
  } catch (err) {
    const message = describeImapFailure(err, m);
    await saveState(db, workspaceId, {
      mailboxKey: key,
      uidValidity,
      lastUid,
      lastPolledAt: new Date().toISOString(),
      lastError: message,
      lastResult: summary.read ? summary : null,
    });
    throw new Error(message);
  } finally {
    await client?.logout().catch(() => client?.close());
  }
}

/** The Check now button: reads the mailbox at once (even while the schedule is off) and says what it found. */
export async function checkBounceMailboxNow(
  ctx: WorkspaceServiceContext,
): Promise<{ ok: boolean; message: string; summary: MailboxPollSummary | null }> {
  try {
    const s = await pollBounceMailbox(ctx.db, ctx.workspaceId, { force: true });
    if (s.skipped) return { ok: false, message: "Save a bounce mailbox first.", summary: null };
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "workspace.bounce_mailbox_checked",
      { type: "workspace", id: ctx.workspaceId },
      { ...s },
    );
    const message =
      s.read === 0
        ? "No new messages."
        : `Read ${s.read} new message${s.read === 1 ? "" : "s"}: ${s.bounces} bounce${s.bounces === 1 ? "" : "s"}, ${s.complaints} complaint${s.complaints === 1 ? "" : "s"}, ${s.replies} repl${s.replies === 1 ? "y" : "ies"}, ${s.ignored} left alone.`;
    return { ok: true, message, summary: s };
  } catch (err) {
    return { ok: false, message: (err as Error).message, summary: null };
  }
}

import "server-only";
import { and, eq, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { integrations, integrationUsage } from "@/server/db/schema";
import { DomainError } from "@/server/errors";
import { assertIntegrationOn, integrationEnabled } from "@/server/features";
import {
  emailFromIdToken,
  exchangeGoogleCode,
  type GoogleAppCredentials,
  googleAuthorizeUrl,
  refreshGoogleToken,
  revokeGoogleToken,
  sendGmailRaw,
} from "@/server/integrations/gmail/client";
import { gmailSecrets, readGmailSecrets } from "@/server/integrations/gmail/token-store";
import { AuthError, PermanentError, QuotaError } from "@/server/integrations/http";
import {
  deleteIntegrationRow,
  getIntegrationRow,
  type IntegrationRow,
  saveConnection,
  setStatus,
  updateSecrets,
} from "@/server/integrations/store";
import { logActivity } from "../activity";
import { getDkimSigningKey } from "../email/dkim";
import { buildMessage } from "../email/mime";
import type { EmailTransport, OutgoingEmail, TransportResult } from "../email/transport-types";
import { TransportError } from "../email/transport-types";
import { getAppCredentials } from "../instance/credentials";
import { notifyWorkspace } from "../notifications";
import { consumeOAuthState, createOAuthState, logConnected } from "./oauth-state";

const REFRESH_MARGIN_MS = 2 * 60_000;

export function gmailEnabled() {
  return integrationEnabled("gmail");
}

/** Whether the Google app's credentials are set (Settings → Instance, else the environment). */
export async function gmailConfigured(db: Db) {
  return (await getAppCredentials(db, "google")) !== null;
}

async function appOrThrow(db: Db): Promise<GoogleAppCredentials> {
  assertIntegrationOn("gmail");
  const app = await getAppCredentials(db, "google");
  if (!app) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Gmail is not set up on this server: an instance admin enters the Google client ID and secret in Settings → Instance (or the operator sets GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)",
    );
  }
  return app;
}

export async function startGmailConnect(db: Db, p: { workspaceId: string; userId: string; baseUrl: string }) {
  const app = await appOrThrow(db);
  const redirectUri = `${p.baseUrl}/api/integrations/gmail/callback`;
  const s = await createOAuthState(db, { ...p, provider: "gmail", redirectUri });
  return {
    url: googleAuthorizeUrl({
      clientId: app.clientId,
      redirectUri,
      state: s.state,
      codeChallenge: s.codeChallenge,
    }),
  };
}

export async function completeGmailConnect(
  db: Db,
  p: { state: string; code: string; userId: string; ip?: string | null; userAgent?: string | null },
) {
  const pending = await consumeOAuthState(db, { state: p.state, userId: p.userId, provider: "gmail" });
  const app = await appOrThrow(db);
  const token = await exchangeGoogleCode(app, {
    code: p.code,
    redirectUri: pending.redirectUri,
    codeVerifier: pending.codeVerifier,
  });
  if (!token.refresh_token) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Google did not grant offline access. Remove Organic from your Google account's third-party access and connect again.",
    );
  }
  const address = emailFromIdToken(token.id_token);
  const row = await saveConnection(db, {
    workspaceId: pending.workspaceId,
    provider: "gmail",
    accountName: address,
    accountId: address,
    secrets: gmailSecrets(token),
    settings: { scope: token.scope ?? null },
    tokenExpiresAt: new Date(Date.now() + token.expires_in * 1000),
    connectedBy: p.userId,
  });
  await logConnected(db, row, p);
  return { workspaceId: pending.workspaceId };
}

/** Refreshes when close to expiry, or when `force` (after a 401). Google keeps the refresh token. */
async function gmailAccess(db: Db, workspaceId: string, force = false) {
  const row = await getIntegrationRow(db, workspaceId, "gmail");
  const secrets = row ? readGmailSecrets(row) : null;
  if (!row || !secrets) throw new TransportError("Gmail is not connected", false);
  if (!force && (row.tokenExpiresAt?.getTime() ?? 0) - Date.now() > REFRESH_MARGIN_MS) {
    return { row, accessToken: secrets.accessToken };
  }
  const app = await appOrThrow(db);
  const token = await refreshGoogleToken(app, secrets.refreshToken);
  const next = gmailSecrets(token, secrets);
  await updateSecrets(db, row, next, new Date(Date.now() + token.expires_in * 1000));
  return { row, accessToken: next.accessToken };
}

const utcDay = (d = new Date()) => d.toISOString().slice(0, 10);

/** Takes one message from today's allowance; false when the account's daily limit is used up. */
async function takeDailySlot(db: Db, row: IntegrationRow, limit: number): Promise<boolean> {
  const result = await db
    .insert(integrationUsage)
    .values({ integrationId: row.id, workspaceId: row.workspaceId, day: utcDay(), count: 1 })
    .onConflictDoUpdate({
      target: [integrationUsage.integrationId, integrationUsage.day],
      set: { count: sql`${integrationUsage.count} + 1` },
      setWhere: sql`${integrationUsage.count} < ${limit}`,
    })
    .returning({ count: integrationUsage.count });
  return result.length > 0;
}

async function giveBackDailySlot(db: Db, row: IntegrationRow) {
  await db
    .update(integrationUsage)
    .set({ count: sql`greatest(${integrationUsage.count} - 1, 0)` })
    .where(and(eq(integrationUsage.integrationId, row.id), eq(integrationUsage.day, utcDay())));
}

export async function gmailUsageToday(db: Db, row: Pick<IntegrationRow, "id">) {
  const [u] = await db
    .select({ count: integrationUsage.count })
    .from(integrationUsage)
    .where(and(eq(integrationUsage.integrationId, row.id), eq(integrationUsage.day, utcDay())));
  return { sent: u?.count ?? 0, limit: env().GMAIL_DAILY_LIMIT };
}

async function holdUntil(db: Db, row: IntegrationRow, until: Date, reason: string) {
  await db
    .update(integrations)
    .set({
      lastError: reason,
      settings: sql`${integrations.settings} || ${JSON.stringify({ quotaHeldUntil: until.toISOString() })}::jsonb`,
    })
    .where(and(eq(integrations.id, row.id), eq(integrations.workspaceId, row.workspaceId)));
}

/**
 * The complete RFC 2822 message, built by the very function the SMTP transport uses
 * (email/mime.ts `buildMessage`): same headers in the same order — Message-ID, List-Unsubscribe,
 * List-Unsubscribe-Post — and DKIM-signed with the workspace's key when one is configured, by the
 * same nodemailer signer the SMTP pool uses. Gmail adds its own signature on top.
 */
export async function composeRfc822(db: Db, workspaceId: string, m: OutgoingEmail): Promise<Buffer> {
  const { raw } = buildMessage(m);
  const dkim = await getDkimSigningKey(db, workspaceId);
  if (!dkim) return raw;
  const signer = nodemailer.createTransport({ streamTransport: true, buffer: true, dkim });
  const info = await signer.sendMail({ envelope: { from: m.from.address, to: [m.to] }, raw });
  return info.message as Buffer;
}

/** Sends one message through the workspace's Gmail account, following Gmail's error rules. */
export async function sendViaGmail(db: Db, workspaceId: string, m: OutgoingEmail): Promise<TransportResult> {
  const row = await getIntegrationRow(db, workspaceId, "gmail");
  if (!row) throw new TransportError("Gmail is not connected", false);
  if (row.status !== "connected") {
    throw new TransportError(
      `Gmail needs attention in Integrations: ${row.lastError ?? "reconnect it"}`,
      false,
    );
  }
  const heldUntil =
    typeof row.settings.quotaHeldUntil === "string" ? Date.parse(row.settings.quotaHeldUntil) : 0;
  if (heldUntil > Date.now()) {
    throw new TransportError(
      `Gmail sending limit reached; sending resumes after ${new Date(heldUntil).toISOString()}`,
      false,
    );
  }
  const limit = env().GMAIL_DAILY_LIMIT;
  if (!(await takeDailySlot(db, row, limit))) {
    throw new TransportError(
      `This Gmail account's daily limit (${limit} messages) is used up; the rest go tomorrow`,
      false,
    );
  }
  const raw = await composeRfc822(db, workspaceId, m);
  try {
    let access = await gmailAccess(db, workspaceId);
    let sent: { id: string };
    try {
      sent = await sendGmailRaw(access.accessToken, raw);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      // One refresh, one retry; a second 401 means the grant is gone.
      access = await gmailAccess(db, workspaceId, true);
      sent = await sendGmailRaw(access.accessToken, raw);
    }
    return { messageId: m.headers["Message-ID"] ?? sent.id, accepted: true };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof AuthError) {
      await giveBackDailySlot(db, row);
      await setStatus(
        db,
        row,
        "needs_attention",
        "Reconnect needed: Google no longer accepts this account's authorization",
      );
      await notifyOnce(
        db,
        row,
        "Gmail needs to be reconnected",
        "Campaign mail waits until Gmail is reconnected in Integrations.",
      );
      throw new TransportError("Gmail needs to be reconnected in Integrations", false);
    }
    if (err instanceof PermanentError && err.code === "domainPolicy") {
      await giveBackDailySlot(db, row);
      await setStatus(db, row, "needs_attention", message);
      await notifyOnce(db, row, "Gmail sending is blocked by your administrator", message);
      throw new TransportError(message, false);
    }
    if (err instanceof QuotaError) {
      await giveBackDailySlot(db, row);
      const daily = err.code === "dailyLimitExceeded" || err.code === "quotaExceeded";
      const until = daily
        ? nextUtcMidnight()
        : new Date(Date.now() + Math.max(err.retryAfterMs ?? 0, 15 * 60_000));
      await holdUntil(db, row, until, message);
      throw new TransportError(`${message}; sending resumes after ${until.toISOString()}`, false);
    }
    if (err instanceof PermanentError && err.status === 400) {
      // Gmail refused this message (bad raw): not the recipient's fault, but retrying won't help either.
      throw new TransportError(message, false, 400);
    }
    throw new TransportError(message, false);
  }
}

function nextUtcMidnight() {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
}

async function notifyOnce(db: Db, row: IntegrationRow, title: string, body: string) {
  if (row.status === "needs_attention") return;
  await notifyWorkspace(db, {
    workspaceId: row.workspaceId,
    kind: "integration.attention",
    title,
    body,
    link: null,
  }).catch((err) => logger.warn({ err: String(err) }, "could not notify about gmail"));
}

/** The transport the email module uses when the workspace has Gmail connected. */
export async function gmailTransportFor(db: Db, workspaceId: string): Promise<EmailTransport | null> {
  if (!gmailEnabled()) return null;
  const row = await getIntegrationRow(db, workspaceId, "gmail");
  if (!row || row.status === "disconnected") return null;
  return {
    async kind() {
      return "gmail";
    },
    send: (m) => sendViaGmail(db, workspaceId, m),
  };
}

export async function disconnectGmail(db: Db, p: { workspaceId: string; userId: string | null }) {
  const row = await getIntegrationRow(db, p.workspaceId, "gmail");
  if (!row) return { revoked: false };
  const secrets = readGmailSecrets(row);
  let revoked = false;
  if (secrets) {
    revoked = await revokeGoogleToken(secrets.refreshToken).then(
      () => true,
      (err) => {
        logger.warn({ err: String(err) }, "google revoke failed");
        return false;
      },
    );
  }
  await deleteIntegrationRow(db, p.workspaceId, "gmail");
  await logActivity(db, {
    workspaceId: p.workspaceId,
    userId: p.userId,
    action: "integration.disconnected",
    entityType: "integration",
    entityId: row.id,
    metadata: { provider: "gmail", revoked },
  });
  return { revoked };
}

/** Test: refresh the token (proves the grant) and send a short message to the account itself. */
export async function testGmail(db: Db, workspaceId: string) {
  const row = await getIntegrationRow(db, workspaceId, "gmail");
  if (!row?.accountName) throw new DomainError("PRECONDITION_FAILED", "Connect Gmail first");
  const to = row.accountName;
  const result = await sendViaGmail(db, workspaceId, {
    from: { name: "Organic", address: to },
    to,
    subject: "Organic: Gmail connection test",
    text: "This message confirms that Organic can send mail through this Gmail account.",
    html: "<p>This message confirms that Organic can send mail through this Gmail account.</p>",
    headers: {},
  });
  return { ok: true as const, detail: `Test message sent to ${to}`, messageId: result.messageId };
}

import { and, desc, eq, ilike, lt, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import { sendMail } from "@/lib/mailer";
import { decryptJson, encryptJson } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { outboxMessages } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { metrics } from "@/server/observability/metrics";

/**
 * The in-app outbox: with no SMTP server configured, campaign and app mail is kept here instead of
 * sent — subject, both parts and every header a relay would have received, except the secrets.
 */

/** What stands in a stored copy where a link carried a secret (token, signature). */
export const REDACTED = "[removed]";

// Links whose last path segment is a bearer token: invitations, unsubscribe (page and RFC 8058
// one-click), open and click tracking, and password reset in its path form.
const PATH_TOKEN =
  /(\/(?:invitations|u|api\/unsubscribe|api\/track\/open|api\/track\/click|reset-password)\/)[A-Za-z0-9_.~%=-]+/g;
// Links whose query string is the secret: double opt-in confirmation (signature), email verification
// and password reset tokens.
const QUERY_TOKEN = /(\/(?:f\/confirm|verify-email|reset-password)\?)[^\s"'<>]+/g;

/**
 * The one redaction every outbox row goes through: every link that would let its reader act as the
 * recipient (accept an invitation, confirm a subscription, unsubscribe, verify an address, reset a
 * password, forge tracking) keeps its place and path but loses its token. Works on plain text, HTML
 * (attribute values included) and header values alike.
 */
export function redactSecrets(value: string): string {
  return value.replace(PATH_TOKEN, `$1${REDACTED}`).replace(QUERY_TOKEN, `$1${REDACTED}`);
}

interface OutboxContent {
  text: string;
  html?: string | null;
  headers?: Array<[string, string]>;
}

/**
 * The columns to insert for an outbox row: its readable copy redacted. With `seal`, the message as
 * it must be sent (links working) is kept sealed with the secret box for the system-email job, which
 * clears it once sent; campaign copies are never sent later, so they keep no sealed body.
 */
export function outboxCopy<T extends OutboxContent>(
  message: T,
  opts: { seal: boolean },
): T & { sealedBody: string | null } {
  return {
    ...message,
    text: redactSecrets(message.text),
    ...(message.html != null && { html: redactSecrets(message.html) }),
    ...(message.headers && {
      headers: message.headers.map(([k, v]) => [k, redactSecrets(v)] as [string, string]),
    }),
    sealedBody: opts.seal ? encryptJson({ text: message.text, html: message.html ?? null }) : null,
  };
}

/** The sealed message of an app mail row (throws when the secret box cannot open it). */
export function unsealOutboxBody(sealed: string): { text: string; html: string | null } {
  return decryptJson<{ text: string; html: string | null }>(sealed);
}

/** Deletes messages older than the retention window (OUTBOX_RETENTION_DAYS); returns how many. */
export async function sweepOutbox(db: Db, retentionDays: number): Promise<number> {
  const gone = await db
    .delete(outboxMessages)
    .where(lt(outboxMessages.createdAt, sql`now() - make_interval(days => ${retentionDays})`))
    .returning({ id: outboxMessages.id });
  return gone.length;
}

export const outboxListInput = z.object({
  search: z.string().trim().max(255).optional(),
  kind: z.enum(["campaign", "invitation", "double-opt-in"]).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export const outboxGetInput = z.object({ id: z.uuid("Not a message id") });

// The cursor carries the row's created_at as Postgres text (microseconds survive) and its id.
function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (typeof at === "string" && z.uuid().safeParse(id).success) return { at, id };
  } catch {}
  throw new ValidationError("This page link is not valid; go back to the first page");
}

export async function listOutbox(db: Db, workspaceId: string, input: z.infer<typeof outboxListInput>) {
  const conds = [eq(outboxMessages.workspaceId, workspaceId)];
  if (input.kind) conds.push(eq(outboxMessages.kind, input.kind));
  if (input.search) {
    const like = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(outboxMessages.toAddress, like), ilike(outboxMessages.subject, like))!);
  }
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    conds.push(
      or(
        lt(outboxMessages.createdAt, sql`${c.at}::timestamptz`),
        and(eq(outboxMessages.createdAt, sql`${c.at}::timestamptz`), lt(outboxMessages.id, c.id)),
      )!,
    );
  }
  const rows = await db
    .select({
      id: outboxMessages.id,
      kind: outboxMessages.kind,
      toAddress: outboxMessages.toAddress,
      fromAddress: outboxMessages.fromAddress,
      subject: outboxMessages.subject,
      status: outboxMessages.status,
      createdAt: outboxMessages.createdAt,
      createdAtText: sql<string>`${outboxMessages.createdAt}::text`,
    })
    .from(outboxMessages)
    .where(and(...conds))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ createdAtText: _t, ...r }) => r),
    nextCursor:
      more && last ? Buffer.from(JSON.stringify([last.createdAtText, last.id])).toString("base64url") : null,
  };
}

export async function getOutboxMessage(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select({
      id: outboxMessages.id,
      kind: outboxMessages.kind,
      toAddress: outboxMessages.toAddress,
      fromAddress: outboxMessages.fromAddress,
      subject: outboxMessages.subject,
      text: outboxMessages.text,
      html: outboxMessages.html,
      headers: outboxMessages.headers,
      status: outboxMessages.status,
      error: outboxMessages.error,
      sentAt: outboxMessages.sentAt,
      createdAt: outboxMessages.createdAt,
    })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.workspaceId, workspaceId), eq(outboxMessages.id, id)));
  if (!row) throw new NotFoundError("Message not found");
  // Rows written before redaction existed are redacted on the way out too (until they expire).
  return {
    ...row,
    text: redactSecrets(row.text),
    html: row.html === null ? null : redactSecrets(row.html),
    headers: row.headers.map(([k, v]) => [k, redactSecrets(v)] as [string, string]),
  };
}

/**
 * Delivers one app email (invitation, confirmation, verification, password reset…) from the
 * outbox via SMTP, when configured. The row's readable text is redacted; the message as it must be
 * sent is sealed beside it, opened here, and cleared once a mail server took it.
 */
export async function deliverOutboxMessage(db: Db, outboxId: string, log: Logger) {
  const pending = and(eq(outboxMessages.id, outboxId), eq(outboxMessages.status, "pending"));
  const [msg] = await db.select().from(outboxMessages).where(pending);
  if (!msg) return { skipped: true };
  let body: { text: string; html: string | null } = { text: msg.text, html: msg.html };
  if (msg.sealedBody) {
    try {
      body = unsealOutboxBody(msg.sealedBody);
    } catch (err) {
      // Mailing the redacted copy would send links that do not work: fail where an admin sees it.
      await db
        .update(outboxMessages)
        .set({
          status: "failed",
          sealedBody: null,
          error: "The sealed message could not be opened (was ENCRYPTION_KEY changed?); it was not sent.",
        })
        .where(pending);
      log.error({ err, outboxId }, "system email: sealed body could not be opened");
      return { delivered: false };
    }
  }
  const sent = await sendMail({ to: msg.toAddress, subject: msg.subject, text: body.text, html: body.html });
  if (sent) metrics().emailsSent.inc({ kind: "system" });
  await db
    .update(outboxMessages)
    .set(sent ? { status: "sent", sentAt: new Date(), sealedBody: null } : { status: "outbox" })
    .where(pending);
  log.info(
    { outboxId, delivered: Boolean(sent) },
    sent ? "email sent" : "no SMTP configured: kept in outbox",
  );
  return { delivered: Boolean(sent) };
}

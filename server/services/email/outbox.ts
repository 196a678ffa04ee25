import { and, desc, eq, ilike, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/server/db";
import { outboxMessages } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";

/**
 * The in-app outbox: with no SMTP server configured, campaign and app mail is kept here instead of
 * sent — subject, both parts and every header a relay would have received.
 */
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
  return row;
}

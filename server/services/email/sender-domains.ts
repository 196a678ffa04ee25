import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { env } from "@/lib/env";
import { consume } from "@/lib/ratelimit";
import type { Db } from "@/server/db";
import { senderDomains } from "@/server/db/schema";
import { ConflictError, NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import {
  domainAndParents,
  domainOfAddress,
  VERIFICATION_RECORD_PREFIX,
  verificationRecordName,
  verificationRecordValue,
} from "./sender-domain-schemas";

type Row = typeof senderDomains.$inferSelect;

/** A domain as the settings page shows it: status, and the DNS record to publish. */
function shape(row: Row) {
  return {
    id: row.id,
    domain: row.domain,
    status: row.status,
    verifiedAt: row.verifiedAt,
    lastCheckedAt: row.lastCheckedAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    record: {
      type: "TXT" as const,
      name: verificationRecordName(row.domain),
      value: verificationRecordValue(row.verificationToken),
    },
  };
}
export type SenderDomain = ReturnType<typeof shape>;

export async function listSenderDomains(db: Db, workspaceId: string) {
  const rows = await db
    .select()
    .from(senderDomains)
    .where(eq(senderDomains.workspaceId, workspaceId))
    .orderBy(asc(senderDomains.createdAt), asc(senderDomains.domain));
  return rows.map(shape);
}

async function getRowOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(senderDomains)
    .where(and(eq(senderDomains.id, id), eq(senderDomains.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Sender domain not found");
  return row;
}

/** Adds a domain to verify; its token is new and this workspace's own. */
export async function addSenderDomain(ctx: WorkspaceServiceContext, input: { domain: string }) {
  const [row] = await ctx.db
    .insert(senderDomains)
    .values({
      workspaceId: ctx.workspaceId,
      domain: input.domain,
      verificationToken: randomBytes(16).toString("hex"),
      createdBy: ctx.actor.userId,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError(`${input.domain} is already in the list`, { domain: ["Already added"] });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "sender_domain.added",
    { type: "sender_domain", id: row.id },
    {
      domain: row.domain,
    },
  );
  return shape(row);
}

export async function removeSenderDomain(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .delete(senderDomains)
    .where(and(eq(senderDomains.id, input.id), eq(senderDomains.workspaceId, ctx.workspaceId)))
    .returning();
  if (!row) throw new NotFoundError("Sender domain not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "sender_domain.removed",
    { type: "sender_domain", id: row.id },
    {
      domain: row.domain,
    },
  );
  return { id: row.id };
}

/** A resolver asking DNS_SERVERS (tests point it at a local stand-in), else the system's servers. */
function resolver() {
  const r = new Resolver({ timeout: 2000, tries: 2 });
  const servers = env().DNS_SERVERS;
  if (servers.length) r.setServers(servers);
  return r;
}

export type TxtLookup = { found: string[] } | { missing: string } | { unreachable: string };

/** The TXT records at `name` through the resolver sender-domain checks use (DNS_SERVERS). */
export async function lookupTxt(name: string): Promise<TxtLookup> {
  try {
    // A record may be split into several character-strings; they form one value.
    return { found: (await resolver().resolveTxt(name)).map((chunks) => chunks.join("").trim()) };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOTFOUND" || code === "ENODATA") return { missing: `No TXT record at ${name} yet` };
    return { unreachable: `The DNS lookup of ${name} failed (${code ?? "error"}); try again in a minute` };
  }
}

/** Verify presses per workspace: each is a DNS query this server makes on the workspace's behalf. */
const VERIFY_LIMIT = { name: "sender-domain-verify", points: 30, durationSeconds: 600 };

/**
 * Looks the verification record up now. Found → verified. Not there (or another value) → failed,
 * and a domain verified before loses it (the proof was taken down). DNS unreachable → nothing
 * changes but the time and the reason, so a resolver hiccup never un-verifies a domain.
 */
export async function verifySenderDomain(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  await consume(VERIFY_LIMIT, ctx.workspaceId);
  const name = verificationRecordName(row.domain);
  const expected = verificationRecordValue(row.verificationToken);
  const result = await lookupTxt(name);
  let set: Partial<typeof senderDomains.$inferInsert>;
  if ("found" in result && result.found.includes(expected)) {
    set = { status: "verified", verifiedAt: row.verifiedAt ?? new Date(), lastError: null };
  } else if ("unreachable" in result) {
    set = { lastError: result.unreachable };
  } else {
    const ours =
      "found" in result ? result.found.filter((v) => v.startsWith(VERIFICATION_RECORD_PREFIX)) : [];
    const why =
      "missing" in result
        ? result.missing
        : ours.length
          ? `The TXT record at ${name} holds another token: publish exactly ${expected}`
          : `No ${VERIFICATION_RECORD_PREFIX}… TXT record at ${name} yet`;
    set = { status: "failed", verifiedAt: null, lastError: why };
  }
  const [updated] = await ctx.db
    .update(senderDomains)
    .set({ ...set, lastCheckedAt: new Date() })
    .where(and(eq(senderDomains.id, row.id), eq(senderDomains.workspaceId, ctx.workspaceId)))
    .returning();
  if (!updated) throw new NotFoundError("Sender domain not found");
  if (updated.status !== row.status) {
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      `sender_domain.${updated.status}`,
      { type: "sender_domain", id: row.id },
      { domain: row.domain },
    );
  }
  return shape(updated);
}

/**
 * The operator's own sender (EMAIL_FROM's domain): the operator configured it for this server's
 * mail, so every workspace may send from it without a DNS proof.
 */
export function operatorSenderDomain(): string {
  const from = env().EMAIL_FROM;
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  return domainOfAddress(address.trim());
}

/** How a From address's domain is verified for this workspace, or null when it is not. */
export async function senderDomainVerification(
  db: Db,
  workspaceId: string,
  fromEmail: string,
): Promise<{ domain: string; by: "operator" | "dns" | null }> {
  const domain = domainOfAddress(fromEmail);
  if (!domain) return { domain, by: null };
  if (domain === operatorSenderDomain()) return { domain, by: "operator" };
  const candidates = domainAndParents(domain);
  if (candidates.length === 0) return { domain, by: null };
  const [row] = await db
    .select({ id: senderDomains.id })
    .from(senderDomains)
    .where(
      and(
        eq(senderDomains.workspaceId, workspaceId),
        inArray(senderDomains.domain, candidates),
        isNotNull(senderDomains.verifiedAt),
      ),
    )
    .limit(1);
  return { domain, by: row ? "dns" : null };
}

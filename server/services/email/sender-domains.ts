import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import { env } from "@/lib/env";
import { consume } from "@/lib/ratelimit";
import { encryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { senderDomains } from "@/server/db/schema";
import { ConflictError, NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { type ResolvedMailServer, resolveMailServer } from "./mail-server";
import {
  checkDkim,
  checkDmarc,
  checkSpf,
  checkVerification,
  dkimCheckedOk,
  dkimRecordName,
  dkimRecordValue,
  dmarcAdviceValue,
  dmarcRecordName,
  generateDkimKey,
  newDkimSelector,
  quotedTxt,
  type RecordCheck,
  type RecordChecks,
  type RecordKind,
  readRecordChecks,
  spfAdvice,
} from "./sender-domain-records";
import {
  domainAndParents,
  domainOfAddress,
  verificationRecordName,
  verificationRecordValue,
} from "./sender-domain-schemas";

type Row = typeof senderDomains.$inferSelect;

/** One DNS record to add, what it is for, and what its last check found. */
export interface SenderDomainRecord {
  kind: RecordKind;
  /** Only the verification record is needed to send. */
  required: boolean;
  type: "TXT";
  name: string;
  value: string;
  /** The value as quoted ≤255-character strings, for zone files and providers that want it split. */
  split: string | null;
  note: string | null;
  check: RecordCheck | null;
}

/** A domain as the settings page shows it: status, and every DNS record to publish. */
function shape(row: Row, server: ResolvedMailServer) {
  const checks = readRecordChecks(row.recordChecks);
  const verification = {
    type: "TXT" as const,
    name: verificationRecordName(row.domain),
    value: verificationRecordValue(row.verificationToken),
  };
  const spf = spfAdvice(server);
  const dkimValue = row.dkimPublicKey ? dkimRecordValue(row.dkimPublicKey) : null;
  const records: SenderDomainRecord[] = [
    {
      kind: "verification",
      required: true,
      ...verification,
      split: null,
      note: null,
      // Domains verified before every record was checked: their proof was found then.
      check:
        checks.verification ??
        (row.verifiedAt
          ? {
              status: "ok",
              found: [verification.value],
              message: "Verified",
              checkedAt: row.verifiedAt.toISOString(),
            }
          : null),
    },
  ];
  if (row.dkimSelector && dkimValue) {
    records.push({
      kind: "dkim",
      required: false,
      type: "TXT",
      name: dkimRecordName(row.dkimSelector, row.domain),
      value: dkimValue,
      split: dkimValue.length > 255 ? quotedTxt(dkimValue) : null,
      note: null,
      // A check of an earlier (rotated) key says nothing about this one.
      check: checks.dkim?.selector === row.dkimSelector ? checks.dkim : null,
    });
  }
  records.push(
    {
      kind: "spf",
      required: false,
      type: "TXT",
      name: row.domain,
      value: spf.value,
      split: null,
      note: spf.source,
      check: checks.spf ?? null,
    },
    {
      kind: "dmarc",
      required: false,
      type: "TXT",
      name: dmarcRecordName(row.domain),
      value: dmarcAdviceValue(row.domain),
      split: null,
      note: null,
      check: checks.dmarc ?? null,
    },
  );
  return {
    id: row.id,
    domain: row.domain,
    status: row.status,
    verifiedAt: row.verifiedAt,
    lastCheckedAt: row.lastCheckedAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    record: verification,
    records,
    dkim: row.dkimSelector
      ? {
          selector: row.dkimSelector,
          /** Campaign mail from this domain is signed with its key (verified, record checked ok). */
          signing: row.verifiedAt !== null && dkimCheckedOk(checks, row.dkimSelector),
        }
      : null,
    /** After a rotation: the old selector, whose record can go once the new one checks ok. */
    previousDkimSelector: checks.previousDkimSelector ?? null,
  };
}
export type SenderDomain = ReturnType<typeof shape>;

export async function listSenderDomains(db: Db, workspaceId: string) {
  const rows = await db
    .select()
    .from(senderDomains)
    .where(eq(senderDomains.workspaceId, workspaceId))
    .orderBy(asc(senderDomains.createdAt), asc(senderDomains.domain));
  if (rows.length === 0) return [];
  const server = await resolveMailServer(db, workspaceId);
  return rows.map((row) => shape(row, server));
}

async function getRowOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(senderDomains)
    .where(and(eq(senderDomains.id, id), eq(senderDomains.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Sender domain not found");
  return row;
}

/** A new DKIM key for a domain: the selector and public half in the clear, the private half sealed. */
async function newDkimColumns() {
  const key = await generateDkimKey();
  return {
    dkimSelector: newDkimSelector(),
    dkimPublicKey: key.publicKey,
    dkimPrivateKeySealed: encryptSecret(key.privateKeyPem),
  };
}

/** Adds a domain to verify; its token is new and this workspace's own, and so is its DKIM key. */
export async function addSenderDomain(ctx: WorkspaceServiceContext, input: { domain: string }) {
  const [row] = await ctx.db
    .insert(senderDomains)
    .values({
      workspaceId: ctx.workspaceId,
      domain: input.domain,
      verificationToken: randomBytes(16).toString("hex"),
      createdBy: ctx.actor.userId,
      ...(await newDkimColumns()),
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
  return shape(row, await resolveMailServer(ctx.db, ctx.workspaceId));
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
 * Checks every record now ("Check records"): the verification TXT decides the status — found →
 * verified; not there (or another value) → failed, and a domain verified before loses it (the proof
 * was taken down). DKIM, SPF and DMARC are checked and shown; only a DKIM record that checks ok lets
 * mail be signed with the domain's key. DNS unreachable → a record's last check stays as it was, so
 * a resolver hiccup never un-verifies a domain or stops its signing.
 */
export async function verifySenderDomain(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  await consume(VERIFY_LIMIT, ctx.workspaceId);
  const server = await resolveMailServer(ctx.db, ctx.workspaceId);
  const selector = row.dkimSelector;
  const [verificationTxt, dkimTxt, apexTxt, dmarcTxt] = await Promise.all([
    lookupTxt(verificationRecordName(row.domain)),
    selector ? lookupTxt(dkimRecordName(selector, row.domain)) : null,
    lookupTxt(row.domain),
    lookupTxt(dmarcRecordName(row.domain)),
  ]);
  const checkedAt = new Date().toISOString();
  const previous = readRecordChecks(row.recordChecks);
  const checks: RecordChecks = { ...previous };
  const verification = checkVerification(row.domain, row.verificationToken, verificationTxt);
  const results: [
    Exclude<keyof RecordChecks, "previousDkimSelector">,
    Omit<RecordCheck, "checkedAt"> | null,
  ][] = [
    ["verification", verification],
    [
      "dkim",
      selector && row.dkimPublicKey && dkimTxt
        ? checkDkim(row.domain, selector, row.dkimPublicKey, dkimTxt)
        : null,
    ],
    ["spf", checkSpf(apexTxt, spfAdvice(server))],
    ["dmarc", checkDmarc(dmarcTxt)],
  ];
  for (const [kind, result] of results) if (result) checks[kind] = { ...result, checkedAt };

  let set: Partial<typeof senderDomains.$inferInsert>;
  if (verification?.status === "ok") {
    set = { status: "verified", verifiedAt: row.verifiedAt ?? new Date(), lastError: null };
  } else if ("unreachable" in verificationTxt) {
    set = { lastError: verificationTxt.unreachable };
  } else {
    set = { status: "failed", verifiedAt: null, lastError: verification?.message ?? null };
  }
  const [updated] = await ctx.db
    .update(senderDomains)
    .set({ ...set, recordChecks: checks, lastCheckedAt: new Date() })
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
  if (checks.dkim?.status !== previous.dkim?.status || checks.dkim?.selector !== previous.dkim?.selector) {
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "sender_domain.dkim_checked",
      { type: "sender_domain", id: row.id },
      { domain: row.domain, selector, result: checks.dkim?.status ?? null },
    );
  }
  return shape(updated, server);
}

/**
 * A new DKIM key with a new selector replaces the domain's key at once. The new key signs only once
 * its record checks ok; until then mail from the domain is signed as if it had no key of its own
 * (the workspace key, or not at all). The old record may stay published meanwhile; the page names it
 * so it can be deleted afterwards. (A domain added before keys were generated gets its first here.)
 */
export async function rotateSenderDomainDkim(ctx: WorkspaceServiceContext, input: { id: string }) {
  const row = await getRowOrThrow(ctx.db, ctx.workspaceId, input.id);
  const checks = readRecordChecks(row.recordChecks);
  const { dkim: _old, ...rest } = checks;
  const next: RecordChecks = {
    ...rest,
    previousDkimSelector: row.dkimSelector ?? undefined,
  };
  const columns = await newDkimColumns();
  const [updated] = await ctx.db
    .update(senderDomains)
    .set({ ...columns, recordChecks: next })
    .where(and(eq(senderDomains.id, row.id), eq(senderDomains.workspaceId, ctx.workspaceId)))
    .returning();
  if (!updated) throw new NotFoundError("Sender domain not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "sender_domain.dkim_rotated",
    { type: "sender_domain", id: row.id },
    { domain: row.domain, selector: columns.dkimSelector, previousSelector: row.dkimSelector },
  );
  return shape(updated, await resolveMailServer(ctx.db, ctx.workspaceId));
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

import { and, eq, isNotNull } from "drizzle-orm";
import { decryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { senderDomains } from "@/server/db/schema";
import { dkimCheckedOk, readRecordChecks } from "./sender-domain-records";
import { domainAndParents, domainOfAddress } from "./sender-domain-schemas";

export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** Picks the DKIM key for a From address; null = sign as the workspace setting says. */
export type DomainKeyPicker = (fromAddress: string) => DkimKey | null;

/**
 * The workspace's own sender-domain keys, loaded and opened once per send run: each verified domain
 * whose DKIM record was checked ok. A From at the domain or a subdomain of it is signed with d= that
 * domain; the nearest verified domain wins. Keys that no longer open (ENCRYPTION_KEY changed) are
 * skipped.
 */
export async function loadDomainKeyPicker(db: Db, workspaceId: string): Promise<DomainKeyPicker> {
  const rows = await db
    .select({
      domain: senderDomains.domain,
      selector: senderDomains.dkimSelector,
      sealed: senderDomains.dkimPrivateKeySealed,
      checks: senderDomains.recordChecks,
    })
    .from(senderDomains)
    .where(
      and(
        eq(senderDomains.workspaceId, workspaceId),
        isNotNull(senderDomains.verifiedAt),
        isNotNull(senderDomains.dkimPrivateKeySealed),
      ),
    );
  const keys = new Map<string, DkimKey>();
  for (const row of rows) {
    if (!row.selector || !row.sealed || !dkimCheckedOk(readRecordChecks(row.checks), row.selector)) continue;
    try {
      keys.set(row.domain, {
        domainName: row.domain,
        keySelector: row.selector,
        privateKey: decryptSecret(row.sealed),
      });
    } catch {}
  }
  if (keys.size === 0) return () => null;
  // One From address per campaign as a rule: remember the answer per address.
  const memo = new Map<string, DkimKey | null>();
  return (fromAddress) => {
    let key = memo.get(fromAddress);
    if (key === undefined) {
      const domain = domainOfAddress(fromAddress);
      key = null;
      for (const candidate of domainAndParents(domain)) {
        const found = keys.get(candidate);
        if (found) {
          key = found;
          break;
        }
      }
      if (memo.size < 1000) memo.set(fromAddress, key);
    }
    return key;
  };
}

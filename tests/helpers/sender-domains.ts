import { afterAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { Db } from "@/server/db";
import { systemActor } from "@/server/services/context";
import {
  addSenderDomain,
  listSenderDomains,
  verifySenderDomain,
} from "@/server/services/email/sender-domains";
import { type DnsStandIn, startDnsStandIn } from "../fixtures/stand-ins/dns";

/**
 * A DNS stand-in for this test file: DNS_SERVERS points the sender-domain resolver at it until the
 * file ends.
 */
export async function startDnsStandInForFile(): Promise<DnsStandIn> {
  const dns = await startDnsStandIn();
  const saved = process.env.DNS_SERVERS;
  process.env.DNS_SERVERS = dns.address;
  resetEnvCache();
  afterAll(async () => {
    if (saved === undefined) delete process.env.DNS_SERVERS;
    else process.env.DNS_SERVERS = saved;
    resetEnvCache();
    await dns.close();
  });
  return dns;
}

/**
 * Verifies `domain` for a workspace the way a person does: add it, publish the TXT record it asks
 * for (on the stand-in), press Verify — through the real resolver. For tests whose campaigns go
 * out over SMTP with a From at their own domain.
 */
export async function verifySenderDomainThroughDns(
  db: Db,
  dns: DnsStandIn,
  workspaceId: string,
  domain: string,
) {
  const ctx = { db, workspaceId, actor: systemActor };
  const row =
    (await listSenderDomains(db, workspaceId)).find((d) => d.domain === domain) ??
    (await addSenderDomain(ctx, { domain }));
  dns.setTxt(row.record.name, row.record.value);
  const verified = await verifySenderDomain(ctx, { id: row.id });
  if (verified.status !== "verified") {
    throw new Error(`${domain} did not verify through the DNS stand-in: ${verified.lastError}`);
  }
  return verified;
}

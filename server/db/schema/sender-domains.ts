import { sql } from "drizzle-orm";
import { check, jsonb, pgTable, text, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const SENDER_DOMAIN_STATUSES = ["pending", "verified", "failed"] as const;
export type SenderDomainStatus = (typeof SENDER_DOMAIN_STATUSES)[number];

/**
 * A domain a workspace sends campaigns from. It is proven by a DNS TXT record
 * `organic-verification=<token>` at `_organic.<domain>`; until then no campaign with a From at
 * that domain (or a subdomain) leaves through SMTP or Gmail. Further sender records (DKIM key,
 * SPF and DMARC checks) belong on this row too.
 */
export const senderDomains = pgTable(
  "sender_domains",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Lower-case ASCII (internationalised names in their xn-- form), no trailing dot. */
    domain: varchar("domain", { length: 253 }).notNull(),
    /** Published, not secret: proves control of the domain's DNS for this workspace only. */
    verificationToken: varchar("verification_token", { length: 64 }).notNull(),
    status: varchar("status", { length: 20 }).$type<SenderDomainStatus>().notNull().default("pending"),
    verifiedAt: tstz("verified_at"),
    lastCheckedAt: tstz("last_checked_at"),
    /** What the last check found instead of the record, in words for the settings page. */
    lastError: text("last_error"),
    /** DKIM key generated for this domain: selector, public half (the DNS record), sealed private half. */
    dkimSelector: varchar("dkim_selector", { length: 63 }),
    dkimPublicKey: text("dkim_public_key"),
    /** `encryptSecret` of the PEM private key (lib/secret-box.ts); never returned to a browser. */
    dkimPrivateKeySealed: text("dkim_private_key_sealed"),
    /** The last check of each sender record: `{ dkim, spf, dmarc }` → `{ ok, found, message }`. */
    recordChecks: jsonb("record_checks").$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("sender_domains_workspace_domain").on(t.workspaceId, t.domain),
    check("sender_domains_status", sql`${t.status} in ('pending', 'verified', 'failed')`),
    check("sender_domains_verified", sql`(${t.status} = 'verified') = (${t.verifiedAt} is not null)`),
  ],
);

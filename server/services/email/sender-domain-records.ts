import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { z } from "zod";
import { env } from "@/lib/env";
import type { ResolvedMailServer } from "./mail-server";
import { verificationRecordName, verificationRecordValue } from "./sender-domain-schemas";

/**
 * The DNS records a sender domain needs, and their checks. Only the verification TXT is required to
 * send; DKIM is checked so mail is signed with the domain's own key only once receivers can find it;
 * SPF and DMARC are advice (their values depend on the mail server and the owner's policy).
 */

const generateKeyPairAsync = promisify(generateKeyPair);

/** A new selector per key, so a rotated key gets its own DNS name beside the old one. */
export const newDkimSelector = () => `organic-${randomBytes(3).toString("hex")}`;

/** RSA 2048, the size every receiver accepts in one TXT record. PEM private, base64 SPKI public. */
export async function generateDkimKey(): Promise<{ publicKey: string; privateKeyPem: string }> {
  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "der" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicKey: publicKey.toString("base64"), privateKeyPem: privateKey };
}

export const dkimRecordName = (selector: string, domain: string) => `${selector}._domainkey.${domain}`;
export const dkimRecordValue = (publicKey: string) => `v=DKIM1; k=rsa; p=${publicKey}`;
export const dmarcRecordName = (domain: string) => `_dmarc.${domain}`;

/** One TXT character-string holds at most 255 bytes; a longer value is published as several. */
export function splitTxt(value: string, size = 255): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += size) chunks.push(value.slice(i, i + size));
  return chunks;
}

/** The split form zone files and some DNS providers want: `"…" "…"`. */
export const quotedTxt = (value: string) =>
  splitTxt(value)
    .map((c) => `"${c}"`)
    .join(" ");

/** SPF mechanisms of well-known SMTP services, by the host name mail is handed to. */
const SPF_BY_HOST: [RegExp, string][] = [
  [/(^|\.)sendgrid\.net$/, "include:sendgrid.net"],
  [/(^|\.)amazonaws\.com$/, "include:amazonses.com"],
  [/(^|\.)mailgun\.(org|net)$/, "include:mailgun.org"],
  [/(^|\.)postmarkapp\.com$/, "include:spf.mtasv.net"],
  [/(^|\.)(gmail|googlemail|google)\.com$/, "include:_spf.google.com"],
  [/(^|\.)(office365|outlook)\.com$/, "include:spf.protection.outlook.com"],
  [/(^|\.)mailjet\.com$/, "include:spf.mailjet.com"],
  [/(^|\.)(brevo|sendinblue)\.com$/, "include:spf.brevo.com"],
  [/(^|\.)sparkpostmail\.com$/, "include:sparkpostmail.com"],
  [/(^|\.)mandrillapp\.com$/, "include:spf.mandrillapp.com"],
  [/(^|\.)zoho\.(com|eu)$/, "include:zoho.com"],
];

export interface SpfAdvice {
  /** The mechanisms the record should carry (empty = we can't tell which servers send). */
  mechanisms: string[];
  /** Where the advice comes from, in words. */
  source: string;
  value: string;
}

/**
 * What the domain's SPF record should allow: SPF_INCLUDE for the operator's server, else the
 * mechanism of a well-known service by host name, Google's for Gmail; otherwise a generic advice.
 */
export function spfAdvice(server: ResolvedMailServer): SpfAdvice {
  let mechanisms: string[] = [];
  let source = "We can't tell which servers send your mail: add your mail provider's include.";
  if (server.kind === "gmail") {
    mechanisms = ["include:_spf.google.com"];
    source = "Mail goes out through Gmail.";
  } else if (server.kind === "smtp") {
    const host = (server.options.host ?? "").toLowerCase().replace(/\.$/, "");
    const operator = env().SPF_INCLUDE;
    const operatorHost = operatorSmtpHost();
    if (operator.length && host === operatorHost) {
      mechanisms = operator;
      source = "Set by this server's operator (SPF_INCLUDE) for its mail server.";
    } else {
      const known = SPF_BY_HOST.find(([re]) => re.test(host));
      if (known) {
        mechanisms = [known[1]];
        source = `Mail goes out through ${host}.`;
      } else if (host) {
        source = `Mail goes out through ${host}: add the include or ip4: address its provider documents.`;
      }
    }
  } else {
    source = "Mail is kept in the in-app outbox for now: nothing leaves, so SPF doesn't matter yet.";
  }
  const value = mechanisms.length
    ? `v=spf1 ${mechanisms.join(" ")} ~all`
    : "v=spf1 include:<your mail provider> ~all";
  return { mechanisms, source, value };
}

function operatorSmtpHost(): string {
  const url = env().SMTP_URL;
  if (!url) return "";
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}

/** DMARC advice: monitor only (p=none), aggregate reports to a mailbox at the domain. */
export const dmarcAdviceValue = (domain: string) => `v=DMARC1; p=none; rua=mailto:dmarc@${domain}`;

export const RECORD_KINDS = ["verification", "dkim", "spf", "dmarc"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const recordCheckSchema = z.object({
  status: z.enum(["ok", "missing", "wrong"]),
  /** What DNS holds there now (each record's strings joined), at most a few. */
  found: z.array(z.string()).default([]),
  message: z.string(),
  checkedAt: z.string(),
  /** DKIM: the selector this check was for (a rotated key needs a new check). */
  selector: z.string().optional(),
  /** DMARC: the policy the record sets. */
  policy: z.string().optional(),
});
export type RecordCheck = z.infer<typeof recordCheckSchema>;

const recordChecksSchema = z.object({
  verification: recordCheckSchema.optional(),
  dkim: recordCheckSchema.optional(),
  spf: recordCheckSchema.optional(),
  dmarc: recordCheckSchema.optional(),
  /** After a rotation: the selector whose record may be deleted once the new one checks ok. */
  previousDkimSelector: z.string().optional(),
});
export type RecordChecks = z.infer<typeof recordChecksSchema>;

/** The stored checks; anything unreadable counts as never checked. */
export function readRecordChecks(value: unknown): RecordChecks {
  const parsed = recordChecksSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

/** The DKIM key on the row signs only after its own record was checked ok. */
export function dkimCheckedOk(checks: RecordChecks, selector: string | null): boolean {
  return Boolean(selector) && checks.dkim?.status === "ok" && checks.dkim.selector === selector;
}

type Lookup = { found: string[] } | { missing: string } | { unreachable: string };
type CheckResult = Omit<RecordCheck, "checkedAt">;

const clip = (values: string[]) =>
  values.slice(0, 5).map((v) => (v.length > 600 ? `${v.slice(0, 600)}…` : v));

/** Tags of a DKIM/DMARC record (`k=v; k=v`), keys lower-case. */
function tags(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return out;
}

export function checkVerification(domain: string, token: string, lookup: Lookup): CheckResult | null {
  if ("unreachable" in lookup) return null;
  const name = verificationRecordName(domain);
  const expected = verificationRecordValue(token);
  if ("missing" in lookup) return { status: "missing", found: [], message: lookup.missing };
  if (lookup.found.includes(expected)) return { status: "ok", found: [expected], message: "Verified" };
  const ours = lookup.found.filter((v) => v.startsWith("organic-verification="));
  return ours.length
    ? {
        status: "wrong",
        found: clip(ours),
        message: `The TXT record at ${name} holds another token: publish exactly ${expected}`,
      }
    : { status: "missing", found: [], message: `No organic-verification=… TXT record at ${name} yet` };
}

export function checkDkim(
  domain: string,
  selector: string,
  publicKey: string,
  lookup: Lookup,
): CheckResult | null {
  if ("unreachable" in lookup) return null;
  const name = dkimRecordName(selector, domain);
  if ("missing" in lookup) return { status: "missing", found: [], message: lookup.missing, selector };
  const keys = lookup.found.filter((v) => tags(v).has("p"));
  if (keys.length === 0)
    return { status: "missing", found: clip(lookup.found), message: `No DKIM key at ${name} yet`, selector };
  const ours = keys.find((v) => (tags(v).get("p") ?? "").replace(/\s+/g, "") === publicKey);
  if (ours)
    return { status: "ok", found: clip([ours]), message: "Published: mail is signed with it", selector };
  return {
    status: "wrong",
    found: clip(keys),
    message: `The record at ${name} holds another key: replace it with the value shown`,
    selector,
  };
}

export function checkSpf(lookup: Lookup, advice: SpfAdvice): CheckResult | null {
  if ("unreachable" in lookup) return null;
  const spf = "found" in lookup ? lookup.found.filter((v) => /^v=spf1(\s|$)/i.test(v)) : [];
  if (spf.length === 0) return { status: "missing", found: [], message: "No SPF (v=spf1) record yet" };
  if (spf.length > 1) {
    return {
      status: "wrong",
      found: clip(spf),
      message: `${spf.length} SPF records: receivers treat more than one as an error. Merge them into one`,
    };
  }
  const terms = spf[0]!.toLowerCase().split(/\s+/);
  const absent = advice.mechanisms.filter((m) => !terms.includes(m.toLowerCase()));
  if (absent.length) {
    return {
      status: "wrong",
      found: clip(spf),
      message: `The SPF record doesn't include ${absent.join(" ")}`,
    };
  }
  return {
    status: "ok",
    found: clip(spf),
    message: advice.mechanisms.length
      ? `Allows ${advice.mechanisms.join(" ")}`
      : "One SPF record: check it lists your mail provider",
  };
}

export function checkDmarc(lookup: Lookup): CheckResult | null {
  if ("unreachable" in lookup) return null;
  const dmarc = "found" in lookup ? lookup.found.filter((v) => /^v=DMARC1\s*(;|$)/i.test(v)) : [];
  if (dmarc.length === 0) return { status: "missing", found: [], message: "No DMARC (v=DMARC1) record yet" };
  if (dmarc.length > 1) {
    return {
      status: "wrong",
      found: clip(dmarc),
      message: `${dmarc.length} DMARC records: receivers ignore them all. Keep one`,
    };
  }
  const policy = tags(dmarc[0]!).get("p")?.toLowerCase();
  if (!policy || !["none", "quarantine", "reject"].includes(policy)) {
    return {
      status: "wrong",
      found: clip(dmarc),
      message: "The DMARC record has no valid policy (p=none, quarantine or reject)",
    };
  }
  const words = {
    none: "monitor only: failing mail is still delivered",
    quarantine: "failing mail goes to spam",
    reject: "failing mail is refused",
  } as Record<string, string>;
  return { status: "ok", found: clip(dmarc), message: `Policy p=${policy} (${words[policy]})`, policy };
}

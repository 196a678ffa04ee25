import { z } from "zod";

/**
 * Sender domains: shared by the settings form and the server (imports nothing server-only).
 *
 * A domain is proven by a TXT record `organic-verification=<token>` at `_organic.<domain>`: a name
 * of its own, so the record sits beside (not among) the apex TXT records that SPF and other
 * services read, and a workspace can remove it without touching them.
 */
export const VERIFICATION_RECORD_PREFIX = "organic-verification=";
export const verificationRecordName = (domain: string) => `_organic.${domain}`;
export const verificationRecordValue = (token: string) => `${VERIFICATION_RECORD_PREFIX}${token}`;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain as people type it ("Acme.com", "acme.com.", "bücher.example") → lower-case ASCII
 * ("xn--bcher-kva.example"). Addresses, URLs, IPs and single labels are refused.
 */
export const senderDomainSchema = z
  .string()
  .trim()
  .min(1, "Enter a domain, like example.com")
  .max(253, "A domain has at most 253 characters")
  .refine(
    (v) => !/[\s:/?#@[\]\\%*"'<>]/.test(v),
    "Enter just the domain, like example.com (no address or URL)",
  )
  .transform((v, ctx) => {
    let host = "";
    try {
      host = new URL(`http://${v.replace(/\.$/, "")}`).hostname;
    } catch {}
    const labels = host.split(".");
    if (
      !host ||
      host.length > 253 ||
      labels.length < 2 ||
      !labels.every((l) => LABEL.test(l)) ||
      /^\d+$/.test(labels.at(-1)!) ||
      host === "localhost" ||
      host.endsWith(".localhost")
    ) {
      ctx.addIssue({ code: "custom", message: "Enter a domain, like example.com" });
      return z.NEVER;
    }
    return host;
  });

export const addSenderDomainInput = z.object({ domain: senderDomainSchema });
export const senderDomainIdInput = z.object({ id: z.uuid("Not a sender domain id") });

/** The domain part of an address, lower-case ("" when there is none). */
export function domainOfAddress(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : address.slice(at + 1).toLowerCase();
}

/** The domain and each parent of it with at least two labels: a verified parent covers a subdomain. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.split(".");
  return labels.slice(0, -1).map((_l, i) => labels.slice(i).join("."));
}

/**
 * Why this page cannot use passkeys, or null when it can. Browsers allow WebAuthn only in a secure
 * context (https, or http://localhost) and only for a domain name: a relying-party id cannot be an
 * IP address, so a first run opened on http://127.0.0.1 or http://192.168.1.20 has no passkeys.
 */
export function passkeyUnavailableReason(): string | null {
  if (typeof window === "undefined") return null;
  const host = window.location.hostname;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":"))
    return "Passkeys need a domain name: open Organic at its https:// address (or on localhost), not at an IP address.";
  if (!window.isSecureContext || typeof window.PublicKeyCredential === "undefined")
    return "Passkeys need a secure page: open Organic at its https:// address (or on localhost).";
  return null;
}

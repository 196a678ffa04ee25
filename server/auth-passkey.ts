import type { BetterAuthPlugin } from "better-auth";

/** WebAuthn passkeys (better-auth's passkey plugin). */
export function passkeyPlugins(): BetterAuthPlugin[] {
  return [];
}

import { passkey } from "@better-auth/passkey";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { env } from "@/lib/env";
import { requestBaseUrl } from "./request-info";

/**
 * WebAuthn passkeys (better-auth's passkey plugin): added in Settings → Security, used to sign in
 * without a password. A passkey is itself two factors (the device and its unlock), so a passkey
 * sign-in asks no two-factor code: the two-factor plugin only intercepts password sign-ins.
 *
 * A passkey belongs to a relying-party id (a host name) and works only on pages of that host or its
 * subdomains. It is PASSKEY_RP_ID when set (a parent domain lets one passkey serve several hosts),
 * else APP_URL's host name, else the host the browser used, so a first run works on localhost or a
 * LAN address alike (a passkey made on one address does not work on another).
 */
export function passkeyPlugins(): BetterAuthPlugin[] {
  const e = env();
  const plugin = passkey({
    rpName: "Organic",
    // Unset, the plugin takes the host name of the base URL, which the hook below makes this
    // request's own (APP_URL when set).
    rpID: e.PASSKEY_RP_ID || undefined,
    // The origin the browser signs into each response: APP_URL's when set; else the request's Origin
    // header, which proxy.ts and better-auth's origin check have already held to this host.
    origin: e.APP_URL ? new URL(e.APP_URL).origin : null,
  });
  return [
    {
      ...plugin,
      hooks: {
        before: [
          {
            matcher: (ctx) => Boolean(ctx.path?.startsWith("/passkey/")),
            handler: createAuthMiddleware(async (ctx) => ({
              context: {
                context: { options: { baseURL: requestBaseUrl(ctx.headers ?? new Headers()) } },
                // The plugin would hand the passkey's own name ("Laptop") to the authenticator as
                // the account's: the device's passkey list should show the email address instead.
                // (The name still reaches the passkey row through verify-registration's body.)
                ...(ctx.path === "/passkey/generate-register-options"
                  ? { query: { ...ctx.query, name: "" } }
                  : {}),
              },
            })),
          },
        ],
      },
    },
  ];
}

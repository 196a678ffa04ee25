import type { BetterAuthPlugin } from "better-auth";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { env } from "@/lib/env";
import type { Db } from "./db";
import { ssoProviderName } from "./services/workspaces/sso";

/** better-auth's id for the company SSO provider: its callback is `/api/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

/**
 * The generic OpenID Connect provider (company SSO), when OIDC_ISSUER and its client are set.
 *
 * better-auth's generic-oauth plugin does the protocol: endpoints from the issuer's discovery
 * document, PKCE (S256), a `state` bound to a signed cookie, a `nonce` sent with the request and
 * required back in the ID token, and the ID token's signature, `iss`, `aud` and `exp` checked
 * against the issuer's JWKS (`requireIdTokenVerification`: without a usable issuer and `jwks_uri`
 * the provider is not registered at all, rather than trusting unsigned claims). The provider is not
 * a "trusted" one, so it links to an existing account only when the IdP says the address is
 * verified (`email_verified`) and the account's own address is verified too; a new account goes
 * through SIGNUP (databaseHooks.user.create in server/auth.ts).
 */
export function oidcPlugins(_db: Db): BetterAuthPlugin[] {
  if (!ssoProviderName()) return [];
  const e = env();
  const issuer = e.OIDC_ISSUER!.replace(/\/+$/, "");
  return [
    genericOAuth({
      config: [
        {
          providerId: OIDC_PROVIDER_ID,
          name: e.OIDC_NAME,
          discoveryUrl: `${issuer}/.well-known/openid-configuration`,
          requireIdTokenVerification: true,
          clientId: e.OIDC_CLIENT_ID!,
          clientSecret: e.OIDC_CLIENT_SECRET!,
          scopes: ["openid", "email", "profile"],
          pkce: true,
          // Some IdPs send no `name`: the address's local part is a better label than nothing.
          mapProfileToUser: (profile) => ({
            name:
              (typeof profile.name === "string" && profile.name) ||
              (typeof profile.preferred_username === "string" && profile.preferred_username) ||
              (profile.email ?? "").split("@")[0] ||
              "",
          }),
        },
      ],
    }) as BetterAuthPlugin,
  ];
}

import type { BetterAuthPlugin } from "better-auth";
import type { Db } from "./db";

/** The generic OpenID Connect provider (company SSO), when OIDC_ISSUER and its client are set. */
export function oidcPlugins(_db: Db): BetterAuthPlugin[] {
  return [];
}

import { env } from "@/lib/env";
import { tokenSchema } from "./gmail/schemas";
import { type Classification, type HttpResponse, httpJson, httpRequest } from "./http";

/*
 * Google's OAuth web-server flow (offline access, PKCE), shared by the features that sign in with
 * the install's Google app: Gmail sending and YouTube publishing each ask only for their own scopes
 * (shared/api-contracts.md §B, api-contracts-2.md §1).
 */

export interface GoogleAppCredentials {
  clientId: string;
  clientSecret: string;
}

/** The install's Google app from the environment (Settings → Instance may hold another). */
export function googleAppCredentials(): GoogleAppCredentials | null {
  const e = env();
  if (!e.GOOGLE_CLIENT_ID || !e.GOOGLE_CLIENT_SECRET) return null;
  return { clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET };
}

const oauthBase = () => env().GOOGLE_OAUTH_BASE_URL.replace(/\/+$/, "");
const authBase = () => env().GOOGLE_AUTH_BASE_URL.replace(/\/+$/, "");

export function googleOAuth(o: {
  /** Names the provider in errors and logs. */
  provider: string;
  scopes: readonly string[];
  classify: (res: HttpResponse) => Classification | undefined;
  includeGrantedScopes?: boolean;
}) {
  const { provider, classify } = o;
  return {
    authorizeUrl(p: { clientId: string; redirectUri: string; state: string; codeChallenge: string }) {
      const u = new URL(`${authBase()}/o/oauth2/v2/auth`);
      u.searchParams.set("client_id", p.clientId);
      u.searchParams.set("redirect_uri", p.redirectUri);
      u.searchParams.set("response_type", "code");
      u.searchParams.set("scope", o.scopes.join(" "));
      u.searchParams.set("state", p.state);
      // A refresh token only comes with offline access; consent gets a new one on a reconnect.
      u.searchParams.set("access_type", "offline");
      u.searchParams.set("prompt", "consent");
      if (o.includeGrantedScopes) u.searchParams.set("include_granted_scopes", "true");
      u.searchParams.set("code_challenge", p.codeChallenge);
      u.searchParams.set("code_challenge_method", "S256");
      return u.toString();
    },

    exchangeCode(app: GoogleAppCredentials, p: { code: string; redirectUri: string; codeVerifier: string }) {
      return httpJson({
        provider,
        url: `${oauthBase()}/token`,
        form: {
          client_id: app.clientId,
          client_secret: app.clientSecret,
          code: p.code,
          grant_type: "authorization_code",
          redirect_uri: p.redirectUri,
          code_verifier: p.codeVerifier,
        },
        schema: tokenSchema,
        classify,
        secrets: [app.clientSecret, p.code, p.codeVerifier],
      });
    },

    refreshToken(
      app: GoogleAppCredentials,
      refreshToken: string,
      opts: { timeoutMs?: number; retries?: number } = {},
    ) {
      return httpJson({
        provider,
        url: `${oauthBase()}/token`,
        form: {
          client_id: app.clientId,
          client_secret: app.clientSecret,
          refresh_token: refreshToken,
          grant_type: "refresh_token",
        },
        schema: tokenSchema,
        classify,
        secrets: [app.clientSecret, refreshToken],
        ...opts,
      });
    },

    async revokeToken(token: string) {
      await httpRequest({
        provider,
        url: `${oauthBase()}/revoke`,
        form: { token },
        classify,
        secrets: [token],
        retries: 1,
      });
    },
  };
}

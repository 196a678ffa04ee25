import type { BetterAuthOptions, BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import {
  authorizationCodeRequest,
  getOAuth2Tokens,
  type OAuth2Tokens,
  type ProviderOptions,
  validateAuthorizationCode,
} from "better-auth/oauth2";
import type { GithubProfile, GoogleProfile } from "better-auth/social-providers";
import { env } from "@/lib/env";
import { signInProviders } from "./auth-providers";
import type { Db } from "./db";
import { anotherWayInRemains, listSignInMethods } from "./services/sign-in-methods";

/*
 * Google and GitHub sign-in (issue 18 item 2). better-auth's built-in providers hard-code Google's and
 * GitHub's hosts; ours come from env so tests and `npm run dev:stand-ins` use local stand-ins. The
 * authorize URL is a provider option; the user info is our own `getUserInfo`; the token exchange is
 * swapped in by `socialPlugins` (the providers offer no option for it).
 */

const PROVIDER_TIMEOUT_MS = 10_000;
const trimSlash = (url: string) => url.replace(/\/+$/, "");

function endpoints() {
  const e = env();
  return {
    googleAuthorize: `${trimSlash(e.GOOGLE_AUTH_BASE_URL)}/o/oauth2/v2/auth`,
    googleToken: `${trimSlash(e.GOOGLE_OAUTH_BASE_URL)}/token`,
    googleUserInfo: e.GOOGLE_USERINFO_URL,
    githubAuthorize: `${trimSlash(e.GITHUB_AUTH_BASE_URL)}/login/oauth/authorize`,
    githubToken: `${trimSlash(e.GITHUB_AUTH_BASE_URL)}/login/oauth/access_token`,
    githubApi: trimSlash(e.GITHUB_API_BASE_URL),
  };
}

/** A provider API's JSON answer to a bearer-token GET, or null when it refuses or fails. */
async function getJson<T>(url: string, accessToken: string, accept = "application/json"): Promise<T | null> {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${accessToken}`, accept, "user-agent": "Organic" },
    redirect: "error",
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  }).catch(() => null);
  if (!res?.ok) return null;
  return (await res.json().catch(() => null)) as T | null;
}

/**
 * Google's OpenID userinfo for the access token. The ID token from the token answer is never read for
 * identity: the userinfo endpoint, reached over TLS with the token Google just issued us, is the
 * source of `sub`, `email` and `email_verified`.
 */
async function googleUserInfo(tokens: OAuth2Tokens) {
  if (!tokens.accessToken) return null;
  const profile = await getJson<GoogleProfile>(endpoints().googleUserInfo, tokens.accessToken);
  if (!profile?.sub) return null;
  return {
    user: {
      name: profile.name,
      email: profile.email ?? null,
      image: profile.picture,
      emailVerified: profile.email_verified === true,
    },
    data: profile,
  };
}

interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub's profile, with the account's primary address from /user/emails (needs `user:email`): it
 * counts as verified only when GitHub says so. The profile's public `email` is a fallback, unverified.
 */
async function githubUserInfo(tokens: OAuth2Tokens) {
  if (!tokens.accessToken) return null;
  const api = endpoints().githubApi;
  const accept = "application/vnd.github+json";
  const profile = await getJson<GithubProfile>(`${api}/user`, tokens.accessToken, accept);
  if (!profile?.id) return null;
  const emails = await getJson<GithubEmail[]>(`${api}/user/emails`, tokens.accessToken, accept);
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary) : undefined;
  return {
    user: {
      name: profile.name || profile.login,
      email: primary?.email ?? profile.email,
      image: profile.avatar_url,
      emailVerified: primary?.verified === true,
    },
    data: profile,
  };
}

/** GitHub's code exchange at our token URL (it answers a bad code with 200 and `{ error }`). */
async function exchangeGithubCode(
  options: ProviderOptions,
  data: { code: string; redirectURI: string; codeVerifier?: string },
): Promise<OAuth2Tokens | null> {
  const tokenEndpoint = endpoints().githubToken;
  const { body, headers } = await authorizationCodeRequest({ ...data, options, tokenEndpoint });
  const res = await fetch(tokenEndpoint, {
    method: "POST",
    body,
    headers,
    redirect: "error",
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  }).catch(() => null);
  const answer = res?.ok ? ((await res.json().catch(() => null)) as Record<string, unknown> | null) : null;
  if (!answer || "error" in answer || typeof answer.access_token !== "string") return null;
  return getOAuth2Tokens(answer);
}

/** better-auth `socialProviders` for Google and GitHub, from env (none when not configured). */
export function socialProvidersFromEnv(): NonNullable<BetterAuthOptions["socialProviders"]> {
  const e = env();
  const urls = endpoints();
  const offered = new Set(signInProviders().map((p) => p.id));
  return {
    ...(offered.has("google") && {
      google: {
        clientId: e.GOOGLE_CLIENT_ID!,
        clientSecret: e.GOOGLE_CLIENT_SECRET!,
        authorizationEndpoint: urls.googleAuthorize,
        prompt: "select_account",
        // Only the redirect flow: a client-posted ID token would be checked against Google's own
        // key set, which the env cannot point elsewhere.
        disableIdTokenSignIn: true,
        getUserInfo: googleUserInfo,
      },
    }),
    ...(offered.has("github") && {
      github: {
        clientId: e.GITHUB_CLIENT_ID!,
        clientSecret: e.GITHUB_CLIENT_SECRET!,
        authorizationEndpoint: urls.githubAuthorize,
        getUserInfo: githubUserInfo,
      },
    }),
  };
}

const PROVIDER_NAMES: Record<string, string> = { google: "Google", github: "GitHub" };

/**
 * What the providers leave to the app: their token URLs from env, no new account for an address the
 * provider does not vouch for (someone could otherwise claim another's address before its owner
 * signs up, and keep a way in after the owner resets the password), and unlinking only while
 * another way in remains — a password, a passkey, or an identity from a provider still offered.
 */
export function socialPlugins(db: Db): BetterAuthPlugin[] {
  return [
    {
      id: "organic-social",
      init(ctx) {
        const tokenUrl = endpoints().googleToken;
        return {
          context: {
            socialProviders: ctx.socialProviders.map((p) => {
              const options = p.options as ProviderOptions;
              if (p.id === "google")
                return {
                  ...p,
                  validateAuthorizationCode: (data: Parameters<typeof p.validateAuthorizationCode>[0]) =>
                    validateAuthorizationCode({ ...data, options, tokenEndpoint: tokenUrl }),
                };
              if (p.id === "github")
                return {
                  ...p,
                  validateAuthorizationCode: (data: Parameters<typeof p.validateAuthorizationCode>[0]) =>
                    exchangeGithubCode(options, data),
                };
              return p;
            }),
          },
          options: {
            databaseHooks: {
              user: {
                create: {
                  before: async (user, hookCtx) => {
                    // better-auth names the endpoint by its route; the provider is its `:id`.
                    const provider = hookCtx?.path === "/callback/:id" ? hookCtx.params?.id : undefined;
                    const name = provider && PROVIDER_NAMES[provider];
                    if (!name || user.emailVerified) return;
                    throw new APIError("FORBIDDEN", {
                      code: "PROVIDER_EMAIL_NOT_VERIFIED",
                      message: `${name} did not confirm that your email address is verified, so no account was created.`,
                    });
                  },
                },
              },
            },
          },
        };
      },
      hooks: {
        before: [
          {
            matcher: (ctx) => ctx.path === "/unlink-account",
            handler: createAuthMiddleware(async (ctx) => {
              const session = await getSessionFromCtx(ctx);
              const accountId: unknown = ctx.body?.accountId;
              // Without a session or an id the endpoint itself refuses.
              if (!session || typeof accountId !== "string") return;
              const methods = await listSignInMethods(db, session.user.id);
              // The password is changed on its own card, never unlinked.
              if (!methods.linked.some((a) => a.id === accountId)) {
                throw new APIError("BAD_REQUEST", {
                  code: "ACCOUNT_NOT_FOUND",
                  message: "That sign-in method is not linked to your account.",
                });
              }
              const offered = new Set(ctx.context.socialProviders.map((p) => p.id));
              if (!anotherWayInRemains(methods, accountId, offered)) {
                throw new APIError("BAD_REQUEST", {
                  code: "LAST_SIGN_IN_METHOD",
                  message:
                    "This is your only way to sign in. Link another provider or add a passkey first, or set a password with “Forgot password” on the sign-in page.",
                });
              }
            }),
          },
        ],
      },
    },
  ];
}

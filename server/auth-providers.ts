import { env } from "@/lib/env";

/** A way to sign in other than email + password, as the sign-in page offers it. */
export interface SignInProvider {
  /** better-auth's provider id: "google" and "github" are social providers, "oidc" the generic one. */
  id: "google" | "github" | "oidc";
  /** The name on the button: "Continue with <name>". */
  name: string;
  kind: "social" | "oidc";
}

/** The providers configured on this server, in the order the sign-in page shows them. */
export function signInProviders(): SignInProvider[] {
  const e = env();
  const list: SignInProvider[] = [];
  if (e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET)
    list.push({ id: "oidc", name: e.OIDC_NAME, kind: "oidc" });
  if (e.SIGN_IN_WITH_GOOGLE && e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET)
    list.push({ id: "google", name: "Google", kind: "social" });
  if (e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET)
    list.push({ id: "github", name: "GitHub", kind: "social" });
  return list;
}

/**
 * How a session began, from the better-auth endpoint that created it (stored in
 * `sessions.sign_in_method`): the two-factor step completes a password sign-in. better-auth names
 * an endpoint by its route (`/callback/:id`), so the provider comes from the route's params.
 */
export function signInMethodForPath(
  endpoint: string | undefined,
  params?: Record<string, unknown>,
): string | null {
  if (!endpoint) return null;
  const param = (name: string) => (typeof params?.[name] === "string" ? (params[name] as string) : null);
  if (endpoint === "/sign-in/email" || endpoint.startsWith("/two-factor/")) return "password";
  if (endpoint.startsWith("/passkey/")) return "passkey";
  if (endpoint === "/callback/:id") return param("id");
  if (endpoint === "/oauth2/callback/:providerId") return param("providerId");
  const social = /^\/callback\/([a-z0-9-]+)$/.exec(endpoint);
  if (social) return social[1]!;
  const generic = /^\/oauth2\/callback\/([a-z0-9-]+)$/.exec(endpoint);
  if (generic) return generic[1]!;
  return null;
}

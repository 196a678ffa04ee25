/**
 * The sign-in and sign-up forms' checks and sentences, apart from their components (plain functions,
 * no Zod: the pages stay light). Imports nothing but the email pattern.
 */
import { EMAIL_PATTERN } from "@/lib/email-address";

export type AuthMode = "sign-in" | "sign-up";
export type AuthFieldName = "name" | "email" | "password";
export type Rule = (value: string) => true | string;

// Plain rules, not a Zod schema (that would bring Zod to the page). The server checks everything
// again; these only spare a round trip. Zod's email pattern, so both agree.
const emailRule: Rule = (v) => EMAIL_PATTERN.test(v.trim()) || "Enter a valid email address";
const nameRule: Rule = (v) => {
  const name = v.trim();
  if (!name) return "Enter your name";
  return name.length <= 255 || "Use at most 255 characters";
};
export const RULES: Record<AuthMode, Partial<Record<AuthFieldName, Rule>>> = {
  "sign-in": { email: emailRule, password: (pw) => pw.length > 0 || "Enter your password" },
  "sign-up": {
    name: nameRule,
    email: emailRule,
    password: (pw) => {
      if (pw.length < 8) return "Use at least 8 characters";
      return pw.length <= 128 || "Use at most 128 characters";
    },
  },
};

export const tooManyOr = (e: { status: number; message?: string }) =>
  e.status === 429
    ? (e.message ?? "Too many attempts. Wait a minute and try again.")
    : (e.message ?? "Something went wrong");

/** A passkey sign-in's refusal, as a sentence (better-auth's codes and the browser's). */
export function passkeyError(error: { code?: string; status?: number; message?: string }): string {
  if (error.status === 429) return error.message ?? "Too many attempts. Wait a minute and try again.";
  switch (error.code) {
    case "PASSKEY_NOT_FOUND":
      return "That passkey is not registered here any more (it may have been deleted). Sign in with your password, or use another passkey.";
    case "CHALLENGE_NOT_FOUND":
      return "The passkey sign-in took too long. Try again.";
    case "AUTHENTICATION_FAILED":
      return "The passkey could not be verified. Try again, or sign in with your password.";
    default:
      // The browser's refusals (cancelled, timed out, no passkey for this site) all read "Auth cancelled".
      return "No passkey was used: the request was cancelled, timed out, or this device has no passkey for this site.";
  }
}

export const forgotPasswordHref = (email: string) =>
  `/forgot-password${email.trim() ? `?email=${encodeURIComponent(email.trim())}` : ""}`;

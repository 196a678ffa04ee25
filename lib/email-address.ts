/**
 * Email addresses as the browser and the server both check them, without Zod: a form in the browser
 * imports this instead of a schema module (which would bring all of Zod to the page). The pattern is
 * Zod 4's `z.email()` default (tests/unit/email-address.test.ts holds them to the same verdicts).
 * Imports nothing.
 */
export const EMAIL_PATTERN =
  /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

/**
 * Trims and lower-cases an address before the (workspace, email) uniqueness applies, and says why
 * an address is refused. Shared by the leads API, CSV import and signup forms.
 */
export function normalizeEmail(raw: unknown): EmailCheck {
  if (typeof raw !== "string") return { ok: false, reason: "Email is missing" };
  const email = raw.trim().toLowerCase();
  if (email === "") return { ok: false, reason: "Email is missing" };
  if (email.length > 255) return { ok: false, reason: "Email is longer than 255 characters" };
  if (!email.includes("@")) return { ok: false, reason: "Email has no @" };
  if (/\s/.test(email)) return { ok: false, reason: "Email contains spaces" };
  if (!EMAIL_PATTERN.test(email)) return { ok: false, reason: "Email is not a valid address" };
  return { ok: true, email };
}

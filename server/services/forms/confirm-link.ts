import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { appUrl } from "@/lib/env";
import { authSecret } from "@/lib/secrets";

export const CONFIRM_TTL_DAYS = 7;

export interface ConfirmClaims {
  leadId: string;
  formId: string;
  /** The pending form submission this link applies (a post for a lead that already existed). */
  submissionId?: string;
  /** Unix seconds. */
  expires: number;
}

// A key of its own, derived from the app secret, so a confirm signature is never valid anywhere else.
const key = () => createHmac("sha256", authSecret()).update("double-opt-in").digest();

function sign(c: ConfirmClaims) {
  // Links without a submission keep the original message, so those already mailed stay valid.
  const message = `${c.leadId}.${c.formId}.${c.expires}${c.submissionId ? `.${c.submissionId}` : ""}`;
  return createHmac("sha256", key()).update(message).digest("base64url");
}

/**
 * The double opt-in link for the confirmation email. Built on APP_URL (appUrl()) only: the form post
 * that triggers the email is anonymous, and its Host or X-Forwarded-Host must not choose where the
 * brand's email sends people.
 */
export function confirmUrl(c: Omit<ConfirmClaims, "expires">, now = Date.now()) {
  const claims = { ...c, expires: Math.floor(now / 1000) + CONFIRM_TTL_DAYS * 86_400 };
  const q = new URLSearchParams({
    l: claims.leadId,
    f: claims.formId,
    ...(claims.submissionId && { p: claims.submissionId }),
    e: String(claims.expires),
    s: sign(claims),
  });
  return `${appUrl()}/f/confirm?${q}`;
}

export type VerifyResult = { ok: true; claims: ConfirmClaims } | { ok: false; reason: "invalid" | "expired" };

/** Checks a link's signature first, then its expiry: a tampered link never learns whether it expired. */
export function verifyConfirmParams(q: URLSearchParams, now = Date.now()): VerifyResult {
  const leadId = q.get("l") ?? "";
  const formId = q.get("f") ?? "";
  const expires = Number(q.get("e"));
  const submissionId = q.get("p") ?? undefined;
  const sig = q.get("s") ?? "";
  const uuid = /^[0-9a-f-]{36}$/i;
  if (!uuid.test(leadId) || !uuid.test(formId) || !Number.isInteger(expires) || !sig) {
    return { ok: false, reason: "invalid" };
  }
  if (submissionId !== undefined && !uuid.test(submissionId)) return { ok: false, reason: "invalid" };
  const claims = { leadId, formId, submissionId, expires };
  if (!safeEqual(sign(claims), sig)) return { ok: false, reason: "invalid" };
  if (expires * 1000 < now) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

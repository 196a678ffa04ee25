import { appUrl, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { systemMailConfigured } from "@/lib/mailer";
import type { Db } from "@/server/db";
import { outboxMessages } from "@/server/db/schema";
import { enqueue } from "@/server/queue";
import { sendSystemEmailJob } from "@/server/queue/jobs/system-email";
import { outboxCopy } from "./email/outbox";

/**
 * Mail about an account (address verification, password reset, a sign-up attempt on an existing
 * address). It goes the way of all app mail — an outbox row (redacted, the real message sealed) that
 * the system-email job sends over SMTP — but belongs to no workspace, so no outbox lists it. Links
 * are built from APP_URL (appUrl()), never from request headers.
 */

export const VERIFICATION_TTL_HOURS = 24;
export const RESET_TTL_MINUTES = 60;

/** Only a same-site path may follow a verification (no open redirect through our mail). */
export function safeCallbackPath(value: string | null | undefined, fallback: string): string {
  return value?.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : fallback;
}

export function verificationLink(token: string, callbackPath: string) {
  const q = new URLSearchParams({ token, callbackURL: callbackPath });
  return `${appUrl()}/api/auth/verify-email?${q}`;
}

export function resetPasswordLink(token: string) {
  return `${appUrl()}/reset-password?${new URLSearchParams({ token })}`;
}

async function queueAccountEmail(
  db: Db,
  p: { kind: string; to: string; subject: string; text: string; link?: { label: string; url: string } },
) {
  const [row] = await db
    .insert(outboxMessages)
    .values(
      outboxCopy(
        { workspaceId: null, kind: p.kind, toAddress: p.to, subject: p.subject, text: p.text },
        { seal: true },
      ),
    )
    .returning({ id: outboxMessages.id });
  await enqueue(sendSystemEmailJob, { outboxId: row!.id }, { jobId: `system-email-${row!.id}` });
  // With no mail server nobody could read the link; on a development or test install the operator's
  // terminal is the one place it may appear. Never in production, where logs are shipped elsewhere.
  if (p.link && !systemMailConfigured() && env().NODE_ENV !== "production") {
    logger.info(
      { to: p.to, kind: p.kind },
      `${p.link.label} for ${p.to} (no SMTP_URL set, so it is shown here instead of mailed): ${p.link.url}`,
    );
  }
}

export async function sendVerificationEmail(
  db: Db,
  p: { email: string; name: string | null; token: string; callbackPath: string },
) {
  const url = verificationLink(p.token, p.callbackPath);
  await queueAccountEmail(db, {
    kind: "verify-email",
    to: p.email,
    subject: "Verify your email address for Organic",
    text: [
      `Hello${p.name ? ` ${p.name}` : ""},`,
      "",
      "Confirm that this address is yours by opening this link:",
      url,
      "",
      `The link works for ${VERIFICATION_TTL_HOURS} hours. If you did not create an Organic account, ignore this email: without this link nobody can use your address to join a workspace.`,
    ].join("\n"),
    link: { label: "Email verification link", url },
  });
}

export async function sendPasswordResetEmail(
  db: Db,
  p: { email: string; name: string | null; token: string },
) {
  const url = resetPasswordLink(p.token);
  await queueAccountEmail(db, {
    kind: "password-reset",
    to: p.email,
    subject: "Reset your Organic password",
    text: [
      `Hello${p.name ? ` ${p.name}` : ""},`,
      "",
      "Someone — hopefully you — asked to reset the password of your Organic account. Choose a new one here:",
      url,
      "",
      `The link works once, for ${RESET_TTL_MINUTES} minutes. Setting a new password signs you out everywhere.`,
      "If you did not ask for this, ignore this email: your password stays as it is.",
    ].join("\n"),
    link: { label: "Password reset link", url },
  });
}

/** To the owner of an address someone tried to sign up with: sign-up itself answers as if new. */
export async function sendSignUpAttemptEmail(db: Db, p: { email: string; name: string | null }) {
  await queueAccountEmail(db, {
    kind: "sign-up-attempt",
    to: p.email,
    subject: "Someone tried to sign up to Organic with your address",
    text: [
      `Hello${p.name ? ` ${p.name}` : ""},`,
      "",
      "Someone just tried to create an Organic account with this address, which already has an account.",
      `If it was you, sign in at ${appUrl()}/sign-in — or, if you forgot your password, reset it at ${appUrl()}/forgot-password.`,
      "If it was not you, you can ignore this email: nothing changed and no new account was created.",
    ].join("\n"),
  });
}

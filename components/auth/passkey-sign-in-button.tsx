"use client";

import { KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { passkeyUnavailableReason } from "./passkey-support";

/** A passkey sign-in's refusal, as a sentence (better-auth's codes and the browser's). */
function passkeyError(error: { code?: string; status?: number; message?: string }): string {
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

/**
 * "Continue with a passkey", worded as the provider buttons are (a name starting "Sign in" would
 * also answer every lookup of the password form's "Sign in" button): the browser offers the
 * passkeys it holds for this site, and the one chosen signs in without a password or a two-factor
 * code; then on to `next`, as a password sign-in.
 */
export function PasskeySignInButton({
  next,
  onError,
}: {
  next: string | null;
  onError: (message: string | null) => void;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  // Known only in the browser: shown once it is clear this page can use passkeys at all.
  const [supported, setSupported] = useState(false);
  useEffect(() => setSupported(passkeyUnavailableReason() === null), []);

  async function start() {
    onError(null);
    setBusy(true);
    // The auth client (and its WebAuthn code) loads on this click, not with the sign-in page.
    const { signIn } = await import("@/lib/auth-client");
    const res = await signIn.passkey();
    if (res?.error || !res?.data) {
      setBusy(false);
      onError(passkeyError(res?.error ?? {}));
      return;
    }
    router.replace(next ?? "/");
    router.refresh();
  }

  if (!supported) return null;
  return (
    <Button
      type="button"
      variant="outline"
      className="w-full"
      disabled={busy}
      onClick={start}
      data-testid="sign-in-with-passkey"
    >
      {busy ? <Spinner /> : <KeyRound aria-hidden />}
      Continue with a passkey
    </Button>
  );
}

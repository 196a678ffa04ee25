"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient, safeNext } from "@/lib/auth-client";
import { AuthSubmitButton } from "./auth-card";

/** Second sign-in step for accounts with TOTP on: a 6-digit code, or one backup code. */
export function TwoFactorForm() {
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [useBackup, setUseBackup] = useState(false);
  const [code, setCode] = useState("");
  const [trust, setTrust] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // After 5 wrong codes (or when it timed out) the pending sign-in is over: the password again.
  const [ended, setEnded] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const res = useBackup
      ? await authClient.twoFactor.verifyBackupCode({ code: code.trim(), trustDevice: trust })
      : await authClient.twoFactor.verifyTotp({ code: code.replace(/\s/g, ""), trustDevice: trust });
    setBusy(false);
    if (res.error) {
      const code = (res.error as { code?: string }).code;
      if (code === "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE" || code === "INVALID_TWO_FACTOR_COOKIE") {
        setEnded(true);
        setError(
          code === "INVALID_TWO_FACTOR_COOKIE"
            ? "This sign-in has expired. Sign in with your password again."
            : "Too many wrong codes. For your safety this sign-in has ended: sign in with your password again.",
        );
        return;
      }
      setError(
        res.error.status === 401 && !res.error.message
          ? "Your sign-in expired. Sign in again."
          : (res.error.message ?? "That code did not work"),
      );
      return;
    }
    router.replace(next ?? "/");
    router.refresh();
  }

  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <CardHeader>
          <CardTitle>Two-factor authentication</CardTitle>
          <CardDescription>
            {useBackup
              ? "Enter one of the backup codes you saved when you turned on two-factor."
              : "Enter the 6-digit code from your authenticator app."}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-2">
            <Label htmlFor="two-factor-code">{useBackup ? "Backup code" : "Code"}</Label>
            <Input
              id="two-factor-code"
              autoFocus
              autoComplete="one-time-code"
              inputMode={useBackup ? "text" : "numeric"}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "two-factor-error" : undefined}
            />
          </div>
          <label className="flex items-center gap-2 text-muted-foreground text-sm">
            <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} />
            Trust this device for 30 days
          </label>
          {error ? (
            <p id="two-factor-error" role="alert" className="text-destructive text-sm">
              {error}{" "}
              {ended && (
                <Link
                  href={next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"}
                  className="font-medium underline underline-offset-4"
                >
                  Sign in again
                </Link>
              )}
            </p>
          ) : null}
        </CardContent>
        <CardFooter className="flex flex-col gap-3">
          <AuthSubmitButton busy={busy} disabled={busy || ended || code.trim().length === 0}>
            Verify
          </AuthSubmitButton>
          <button
            type="button"
            className="text-muted-foreground text-sm underline-offset-4 hover:underline"
            onClick={() => {
              setUseBackup((v) => !v);
              setCode("");
              setError(null);
            }}
          >
            {useBackup ? "Use an authenticator code" : "Use a backup code"}
          </button>
        </CardFooter>
      </form>
    </Card>
  );
}

"use client";

import { ShieldCheck } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormError } from "@/components/ui/form-field";
import { Spinner } from "@/components/ui/spinner";
import { signIn, signOut } from "@/lib/auth-client";

/** "<Workspace> requires signing in with <provider>", with that sign-in (back to the workspace) and sign-out. */
export function SsoRequiredCard({
  message,
  provider,
  next,
}: {
  message: string;
  provider: string;
  next: string;
}) {
  const [busy, setBusy] = useState<"sso" | "out" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function signInWithSso() {
    setBusy("sso");
    setError(null);
    const res = await signIn.social({
      provider: "oidc",
      callbackURL: next,
      errorCallbackURL: `/sign-in?next=${encodeURIComponent(next)}`,
    });
    if (res.error) {
      setBusy(null);
      setError(res.error.message ?? `Could not start signing in with ${provider}`);
    }
  }
  async function signOutNow() {
    setBusy("out");
    await signOut();
    window.location.assign("/sign-in");
  }

  return (
    <Card data-testid="sso-required">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-xl">
          <ShieldCheck className="size-5 text-primary" aria-hidden /> Single sign-on required
        </CardTitle>
        <CardDescription data-testid="sso-required-message">{message}</CardDescription>
      </CardHeader>
      <CardFooter className="grid gap-2">
        <FormError>{error}</FormError>
        <Button type="button" className="w-full" disabled={busy !== null} onClick={signInWithSso}>
          {busy === "sso" && <Spinner />}
          Sign in with {provider}
        </Button>
        <Button
          type="button"
          variant="ghost"
          className="w-full"
          disabled={busy !== null}
          onClick={signOutNow}
        >
          {busy === "out" && <Spinner />}
          Sign out
        </Button>
      </CardFooter>
    </Card>
  );
}

"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { SignInProvider } from "@/server/auth-providers";

/**
 * "Continue with Google / GitHub / <SSO>": each starts the provider's redirect flow (better-auth
 * registers the OIDC provider beside the social ones). Back here with `?error=` when it fails.
 */
export function ProviderButtons({
  providers,
  next,
  onError,
}: {
  providers: SignInProvider[];
  next: string | null;
  onError: (message: string) => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  if (providers.length === 0) return null;
  const back = next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";

  async function start(p: SignInProvider) {
    setBusy(p.id);
    const { signIn } = await import("@/lib/auth-client");
    const res = await signIn.social({
      provider: p.id,
      callbackURL: next ?? "/",
      newUserCallbackURL: next ?? "/onboarding",
      errorCallbackURL: back,
    });
    if (res.error) {
      setBusy(null);
      onError(res.error.message ?? `Could not start signing in with ${p.name}`);
    }
  }

  return (
    <div className="grid gap-2" data-testid="sign-in-providers">
      {providers.map((p) => (
        <Button
          key={p.id}
          type="button"
          variant="outline"
          className="w-full"
          disabled={busy !== null}
          onClick={() => start(p)}
          data-testid={`sign-in-with-${p.id}`}
        >
          {busy === p.id && <Spinner />}
          {p.kind === "oidc" ? `Sign in with ${p.name}` : `Continue with ${p.name}`}
        </Button>
      ))}
      <div className="relative my-2 text-center text-muted-foreground text-xs">
        <span className="relative z-10 bg-card px-2">or with email</span>
        <span aria-hidden className="absolute inset-x-0 top-1/2 border-t" />
      </div>
    </div>
  );
}

"use client";
import { useState } from "react";
import { useAuthRequest } from "@/components/auth/use-auth-request";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardContent, CardFooter } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { FormError, InputField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient } from "@/lib/auth-client";
import { toast } from "@/lib/toast";
import { CopyButton } from "./copy-button";

function secretOf(uri: string): string {
  try {
    return new URL(uri).searchParams.get("secret") ?? uri;
  } catch {
    return uri;
  }
}

export function TwoFactorCard() {
  const session = authClient.useSession();
  const enabled = Boolean(
    (session.data?.user as { twoFactorEnabled?: boolean } | undefined)?.twoFactorEnabled,
  );
  const [password, setPassword] = useState("");
  const [setup, setSetup] = useState<{ totpURI: string; backupCodes: string[] } | null>(null);
  const [code, setCode] = useState("");
  const { error, setError, busy, run } = useAuthRequest();

  async function start(e: React.FormEvent) {
    e.preventDefault();
    const res = await run(
      () => authClient.twoFactor.enable({ password }),
      "Could not start two-factor set-up",
    );
    if (!res) return;
    if (!("totpURI" in res.data)) return setError("Could not start two-factor set-up");
    setSetup({ totpURI: res.data.totpURI, backupCodes: res.data.backupCodes });
    setPassword("");
  }
  async function confirm(e: React.FormEvent) {
    e.preventDefault();
    const verify = () => authClient.twoFactor.verifyTotp({ code: code.replace(/\s/g, "") });
    if (!(await run(verify, "That code did not work"))) return;
    toast.success("Two-factor authentication is on");
    setSetup(null);
    setCode("");
    await session.refetch();
  }
  async function disable(e: React.FormEvent) {
    e.preventDefault();
    if (!(await run(() => authClient.twoFactor.disable({ password }), "Could not turn two-factor off")))
      return;
    toast.success("Two-factor authentication is off");
    setPassword("");
    await session.refetch();
  }

  return (
    <CardSection
      title={
        <>
          Two-factor authentication
          <Badge variant={enabled ? "secondary" : "outline"} data-testid="two-factor-status">
            {enabled ? "On" : "Off"}
          </Badge>
        </>
      }
      titleClassName="flex items-center gap-2"
      description="Ask for a 6-digit code from an authenticator app (1Password, Google Authenticator, Aegis…) when you sign in."
      bare
    >
      {setup ? (
        <form onSubmit={confirm} noValidate>
          <CardContent className="grid gap-4">
            <div className="grid gap-2">
              <p className="text-sm">
                Add this key to your authenticator app (choose “enter a setup key”, time-based), then enter
                the code it shows.
              </p>
              <div className="flex items-center gap-2">
                <code
                  data-testid="totp-secret"
                  className="min-w-0 flex-1 break-all rounded-md border bg-muted px-3 py-2 text-sm"
                >
                  {secretOf(setup.totpURI)}
                </code>
                <CopyButton value={secretOf(setup.totpURI)} />
              </div>
              <a
                className="text-muted-foreground text-xs underline"
                href={setup.totpURI}
                data-testid="totp-uri"
              >
                Open in an authenticator app on this device
              </a>
            </div>
            <div className="grid gap-2">
              <p className="font-medium text-sm">
                Backup codes — each works once if you lose your device. Save them now.
              </p>
              <ul className="grid grid-cols-2 gap-1 rounded-md border bg-muted p-3 font-mono text-sm sm:grid-cols-5">
                {setup.backupCodes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </div>
            <InputField
              id="totp-code"
              label="Code from the app"
              fieldClassName="max-w-xs"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <FormError>{error}</FormError>
          </CardContent>
          <CardFooter className="gap-2">
            <Button type="submit" disabled={busy || !code.trim()}>
              Turn on
            </Button>
            <Button type="button" variant="outline" onClick={() => setSetup(null)}>
              Cancel
            </Button>
          </CardFooter>
        </form>
      ) : (
        <form onSubmit={enabled ? disable : start} noValidate>
          <CardContent className="grid max-w-xs gap-2">
            <Label htmlFor="two-factor-password">Your password</Label>
            <Input
              id="two-factor-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <FormError>{error}</FormError>
          </CardContent>
          <CardFooter>
            <Button type="submit" variant={enabled ? "outline" : "default"} disabled={busy || !password}>
              {enabled ? "Turn off two-factor" : "Set up two-factor"}
            </Button>
          </CardFooter>
        </form>
      )}
    </CardSection>
  );
}

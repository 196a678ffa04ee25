"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { authClient } from "@/lib/auth-client";
import { formatDateTime } from "@/lib/utils";
import { CopyButton } from "./copy-button";

interface SessionRow {
  id: string;
  token: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  ipAddress?: string | null;
  userAgent?: string | null;
}

function secretOf(uri: string): string {
  try {
    return new URL(uri).searchParams.get("secret") ?? uri;
  } catch {
    return uri;
  }
}

/** Settings → Security: password, two-factor authentication and the account's sessions. */
export function SecuritySettings() {
  const [sessionsVersion, setSessionsVersion] = useState(0);
  return (
    <div className="grid gap-6">
      <PasswordCard onChanged={() => setSessionsVersion((v) => v + 1)} />
      <TwoFactorCard />
      <SessionsCard version={sessionsVersion} />
    </div>
  );
}

function PasswordCard({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (next.length < 8) return setError("The new password needs at least 8 characters");
    if (next !== confirm) return setError("The two new passwords differ");
    setBusy(true);
    // The server signs out every other session on a password change, whatever is asked here.
    const res = await authClient.changePassword({
      currentPassword: current,
      newPassword: next,
      revokeOtherSessions: true,
    });
    setBusy(false);
    if (res.error) return setError(res.error.message ?? "Could not change the password");
    setCurrent("");
    setNext("");
    setConfirm("");
    toast.success("Password changed. Every other session was signed out.");
    onChanged();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Password</CardTitle>
        <CardDescription>
          Changing it signs out every other browser signed in to your account.
        </CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate>
        <CardContent className="grid gap-4 sm:max-w-sm">
          <div className="grid gap-2">
            <Label htmlFor="current-password">Current password</Label>
            <Input
              id="current-password"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="new-password">New password</Label>
            <Input
              id="new-password"
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="confirm-password">New password again</Label>
            <Input
              id="confirm-password"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "password-error" : undefined}
            />
          </div>
          {error ? (
            <p id="password-error" role="alert" className="text-destructive text-sm">
              {error}
            </p>
          ) : null}
        </CardContent>
        <CardFooter className="mt-6">
          <Button type="submit" disabled={busy || !current || !next || !confirm}>
            Change password
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}

function TwoFactorCard() {
  const session = authClient.useSession();
  const enabled = Boolean(
    (session.data?.user as { twoFactorEnabled?: boolean } | undefined)?.twoFactorEnabled,
  );
  const [password, setPassword] = useState("");
  const [setup, setSetup] = useState<{ totpURI: string; backupCodes: string[] } | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const res = await authClient.twoFactor.enable({ password });
    setBusy(false);
    if (res.error) return setError(res.error.message ?? "Could not start two-factor set-up");
    if (!("totpURI" in res.data)) return setError("Could not start two-factor set-up");
    setSetup({ totpURI: res.data.totpURI, backupCodes: res.data.backupCodes });
    setPassword("");
  }
  async function confirm(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const res = await authClient.twoFactor.verifyTotp({ code: code.replace(/\s/g, "") });
    setBusy(false);
    if (res.error) return setError(res.error.message ?? "That code did not work");
    toast.success("Two-factor authentication is on");
    setSetup(null);
    setCode("");
    await session.refetch();
  }
  async function disable(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const res = await authClient.twoFactor.disable({ password });
    setBusy(false);
    if (res.error) return setError(res.error.message ?? "Could not turn two-factor off");
    toast.success("Two-factor authentication is off");
    setPassword("");
    await session.refetch();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          Two-factor authentication
          <Badge variant={enabled ? "secondary" : "outline"} data-testid="two-factor-status">
            {enabled ? "On" : "Off"}
          </Badge>
        </CardTitle>
        <CardDescription>
          Ask for a 6-digit code from an authenticator app (1Password, Google Authenticator, Aegis…) when you
          sign in.
        </CardDescription>
      </CardHeader>
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
            <div className="grid max-w-xs gap-2">
              <Label htmlFor="totp-code">Code from the app</Label>
              <Input
                id="totp-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </div>
            {error ? (
              <p role="alert" className="text-destructive text-sm">
                {error}
              </p>
            ) : null}
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
            {error ? (
              <p role="alert" className="text-destructive text-sm">
                {error}
              </p>
            ) : null}
          </CardContent>
          <CardFooter>
            <Button type="submit" variant={enabled ? "outline" : "default"} disabled={busy || !password}>
              {enabled ? "Turn off two-factor" : "Set up two-factor"}
            </Button>
          </CardFooter>
        </form>
      )}
    </Card>
  );
}

function SessionsCard({ version }: { version: number }) {
  const router = useRouter();
  const session = authClient.useSession();
  const [list, setList] = useState<SessionRow[] | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const res = await authClient.listSessions();
    if (!res.error) setList(res.data as SessionRow[]);
  }, []);
  useEffect(() => {
    void version;
    void load();
  }, [load, version]);

  const currentToken = session.data?.session.token;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>
          Browsers signed in to your account. A session ends after 7 days without use, and 30 days after
          sign-in at the latest. Changing your password signs out every other session.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="divide-y rounded-md border" data-testid="sessions-list">
          {(list ?? []).map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
              <div className="min-w-0">
                <p className="truncate font-medium">{s.userAgent ?? "Unknown browser"}</p>
                <p className="text-muted-foreground text-xs">
                  {s.ipAddress ?? "unknown address"} · signed in {formatDateTime(s.createdAt)}
                </p>
              </div>
              {s.token === currentToken ? <Badge variant="secondary">This browser</Badge> : null}
            </li>
          ))}
        </ul>
      </CardContent>
      <CardFooter className="flex flex-wrap gap-2">
        <Button
          variant="outline"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const res = await authClient.revokeOtherSessions();
            setBusy(false);
            if (res.error) return toast.error(res.error.message ?? "Could not sign out other sessions");
            toast.success("Signed out of every other browser");
            void load();
          }}
        >
          Sign out other sessions
        </Button>
        <Button
          variant="destructive"
          disabled={busy}
          data-testid="sign-out-everywhere"
          onClick={async () => {
            if (!window.confirm("Sign out everywhere, including this browser?")) return;
            setBusy(true);
            await authClient.revokeSessions();
            router.replace("/sign-in");
            router.refresh();
          }}
        >
          Sign out everywhere
        </Button>
      </CardFooter>
    </Card>
  );
}

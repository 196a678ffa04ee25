"use client";

import { CircleCheck } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { resetPassword } from "@/lib/auth-client";
import { cn } from "@/lib/utils";

/** Sets a new password with the token from the mailed link; every session of the account ends. */
export function ResetPasswordForm() {
  const params = useSearchParams();
  const token = params.get("token");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!token || params.get("error")) {
    return (
      <Card data-testid="reset-password-invalid">
        <CardHeader>
          <CardTitle className="text-xl">This link does not work</CardTitle>
          <CardDescription>
            Password reset links work once, for one hour. Ask for a new one and use the newest email.
          </CardDescription>
        </CardHeader>
        <CardFooter>
          <Link href="/forgot-password" className={cn(buttonVariants(), "w-full")}>
            Send a new link
          </Link>
        </CardFooter>
      </Card>
    );
  }

  if (done) {
    return (
      <Card data-testid="reset-password-done">
        <CardHeader>
          <CardTitle className="flex items-center gap-2 text-xl">
            <CircleCheck className="size-5 text-success" aria-hidden /> Password changed
          </CardTitle>
          <CardDescription>
            Your new password is set and every session of your account was signed out, on every device. Sign
            in with the new password.
          </CardDescription>
        </CardHeader>
        <CardFooter>
          <Link href="/sign-in" className={cn(buttonVariants(), "w-full")}>
            Sign in
          </Link>
        </CardFooter>
      </Card>
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (password.length < 8) next.password = "Use at least 8 characters";
    else if (password.length > 128) next.password = "Use at most 128 characters";
    if (confirm !== password) next.confirm = "The two passwords are not the same";
    setErrors(next);
    if (next.password || next.confirm) return;
    setError(null);
    setBusy(true);
    const res = await resetPassword({ newPassword: password, token: token! });
    setBusy(false);
    if (res.error) {
      setError(
        res.error.code === "INVALID_TOKEN"
          ? "This link has expired or was already used. Ask for a new one."
          : (res.error.message ?? "Something went wrong. Try again."),
      );
      return;
    }
    setDone(true);
  }

  return (
    <Card>
      <form onSubmit={submit} noValidate className="flex flex-col gap-6">
        <CardHeader>
          <CardTitle className="text-xl">Choose a new password</CardTitle>
          <CardDescription>Setting it signs your account out everywhere.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <Field
            label="New password"
            htmlFor="new-password"
            error={errors.password}
            hint="At least 8 characters, not a commonly used password."
          >
            <Input
              id="new-password"
              type="password"
              autoComplete="new-password"
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <Field label="Repeat it" htmlFor="confirm-password" error={errors.confirm}>
            <Input
              id="confirm-password"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </Field>
          {error && (
            <p
              role="alert"
              data-testid="reset-password-error"
              className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive"
            >
              {error}{" "}
              {/expired|used/.test(error) && (
                <Link href="/forgot-password" className="font-medium underline underline-offset-4">
                  Send a new link
                </Link>
              )}
            </p>
          )}
        </CardContent>
        <CardFooter>
          <Button type="submit" className="w-full" disabled={busy}>
            {busy && <Spinner />}
            Set new password
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}

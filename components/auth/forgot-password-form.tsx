"use client";

import { MailCheck } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { requestPasswordReset } from "@/lib/auth-client";

const emailSchema = z.string().trim().email("Enter a valid email address");

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const params = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = emailSchema.safeParse(email);
    setFieldError(parsed.success ? null : (parsed.error.issues[0]?.message ?? "Enter a valid email address"));
    if (!parsed.success) return;
    setError(null);
    setBusy(true);
    const res = await requestPasswordReset({ email: parsed.data, redirectTo: "/reset-password" });
    setBusy(false);
    if (res.error) {
      setError(res.error.message ?? "Something went wrong. Try again.");
      return;
    }
    setSentTo(parsed.data);
  }

  if (sentTo) {
    return (
      <Card data-testid="forgot-password-sent">
        <CardHeader>
          <CardTitle className="flex items-center gap-2 text-xl">
            <MailCheck className="size-5 text-success" aria-hidden /> Check your email
          </CardTitle>
          <CardDescription>
            If <span className="font-medium text-foreground">{sentTo}</span> has an Organic account, a link to
            choose a new password is on its way. It works once, for one hour.
          </CardDescription>
        </CardHeader>
        <CardFooter className="flex flex-col gap-3">
          <Button variant="outline" className="w-full" onClick={() => setSentTo(null)}>
            Use another address
          </Button>
          <Link href="/sign-in" className="text-muted-foreground text-sm underline-offset-4 hover:underline">
            Back to sign in
          </Link>
        </CardFooter>
      </Card>
    );
  }

  return (
    <Card>
      <form onSubmit={submit} noValidate className="flex flex-col gap-6">
        <CardHeader>
          <CardTitle className="text-xl">Forgot your password?</CardTitle>
          <CardDescription>
            Enter your account's email address and we will send you a reset link.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <Field label="Email" htmlFor="email" error={fieldError}>
            <Input
              id="email"
              type="email"
              autoComplete="email"
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          {error && (
            <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {error}
            </p>
          )}
        </CardContent>
        <CardFooter className="flex flex-col gap-3">
          <Button type="submit" className="w-full" disabled={busy}>
            {busy && <Spinner />}
            Send reset link
          </Button>
          <Link href="/sign-in" className="text-muted-foreground text-sm underline-offset-4 hover:underline">
            Back to sign in
          </Link>
        </CardFooter>
      </form>
    </Card>
  );
}

"use client";

import { MailCheck } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/form-field";
import { requestPasswordReset } from "@/lib/auth-client";
import {
  AuthFormCard,
  AuthFormError,
  AuthOutcomeCard,
  AuthSubmitButton,
  BackToSignInLink,
} from "./auth-card";

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
      <AuthOutcomeCard
        testId="forgot-password-sent"
        icon={MailCheck}
        title="Check your email"
        description={
          <>
            If <span className="font-medium text-foreground">{sentTo}</span> has an Organic account, a link to
            choose a new password is on its way. It works once, for one hour.
          </>
        }
        footerClassName="flex flex-col gap-3"
      >
        <Button variant="outline" className="w-full" onClick={() => setSentTo(null)}>
          Use another address
        </Button>
        <BackToSignInLink />
      </AuthOutcomeCard>
    );
  }

  return (
    <AuthFormCard
      title="Forgot your password?"
      description="Enter your account's email address and we will send you a reset link."
      onSubmit={submit}
      footerClassName="flex flex-col gap-3"
      footer={
        <>
          <AuthSubmitButton busy={busy}>Send reset link</AuthSubmitButton>
          <BackToSignInLink />
        </>
      }
    >
      <InputField
        id="email"
        label="Email"
        error={fieldError}
        type="email"
        autoComplete="email"
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      {error && <AuthFormError>{error}</AuthFormError>}
    </AuthFormCard>
  );
}

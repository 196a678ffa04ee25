"use client";

import { CircleCheck } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { buttonVariants } from "@/components/ui/button";
import { InputField } from "@/components/ui/form-field";
import { resetPassword } from "@/lib/auth-client";
import { cn } from "@/lib/utils";
import { AuthFormCard, AuthFormError, AuthOutcomeCard, AuthSubmitButton } from "./auth-card";

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
      <AuthOutcomeCard
        testId="reset-password-invalid"
        title="This link does not work"
        description="Password reset links work once, for one hour. Ask for a new one and use the newest email."
      >
        <Link href="/forgot-password" className={cn(buttonVariants(), "w-full")}>
          Send a new link
        </Link>
      </AuthOutcomeCard>
    );
  }

  if (done) {
    return (
      <AuthOutcomeCard
        testId="reset-password-done"
        icon={CircleCheck}
        title="Password changed"
        description="Your new password is set and every session of your account was signed out, on every device. Sign in with the new password."
      >
        <Link href="/sign-in" className={cn(buttonVariants(), "w-full")}>
          Sign in
        </Link>
      </AuthOutcomeCard>
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
    <AuthFormCard
      title="Choose a new password"
      description="Setting it signs your account out everywhere."
      onSubmit={submit}
      footer={<AuthSubmitButton busy={busy}>Set new password</AuthSubmitButton>}
    >
      <InputField
        id="new-password"
        label="New password"
        error={errors.password}
        hint="At least 8 characters, not a commonly used password."
        type="password"
        autoComplete="new-password"
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <InputField
        id="confirm-password"
        label="Repeat it"
        error={errors.confirm}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
      />
      {error && (
        <AuthFormError testId="reset-password-error">
          {error}{" "}
          {/expired|used/.test(error) && (
            <Link href="/forgot-password" className="font-medium underline underline-offset-4">
              Send a new link
            </Link>
          )}
        </AuthFormError>
      )}
    </AuthFormCard>
  );
}

"use client";

import { useState } from "react";
import { useAuthRequest } from "@/components/auth/use-auth-request";
import { Button } from "@/components/ui/button";
import { CardContent, CardFooter } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { FormError, InputField } from "@/components/ui/form-field";
import { authClient } from "@/lib/auth-client";
import { toast } from "@/lib/toast";

export function PasswordCard({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const { error, setError, busy, run } = useAuthRequest();

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (next.length < 8) return setError("The new password needs at least 8 characters");
    if (next !== confirm) return setError("The two new passwords differ");
    // The server signs out every other session on a password change, whatever is asked here.
    const res = await run(
      () =>
        authClient.changePassword({ currentPassword: current, newPassword: next, revokeOtherSessions: true }),
      "Could not change the password",
    );
    if (!res) return;
    setCurrent("");
    setNext("");
    setConfirm("");
    toast.success("Password changed. Every other session was signed out.");
    onChanged();
  }

  return (
    <CardSection
      title="Password"
      description="Changing it signs out every other browser signed in to your account."
      bare
    >
      <form onSubmit={submit} noValidate>
        <CardContent className="grid gap-4 sm:max-w-sm">
          <InputField
            id="current-password"
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <InputField
            id="new-password"
            label="New password"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <InputField
            id="confirm-password"
            label="New password again"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "password-error" : undefined}
          />
          <FormError id="password-error">{error}</FormError>
        </CardContent>
        <CardFooter className="mt-6">
          <Button type="submit" disabled={busy || !current || !next || !confirm}>
            Change password
          </Button>
        </CardFooter>
      </form>
    </CardSection>
  );
}

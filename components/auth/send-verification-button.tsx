"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { sendVerificationEmail } from "@/lib/auth-client";

/** Mails a fresh verification link to the signed-in user; opening it comes back to `callbackPath`. */
export function SendVerificationButton({ email, callbackPath }: { email: string; callbackPath: string }) {
  const [state, setState] = useState<"idle" | "sending" | "sent" | { error: string }>("idle");
  return (
    <div className="grid gap-2">
      <Button
        data-testid="send-verification"
        disabled={state === "sending" || state === "sent"}
        onClick={async () => {
          setState("sending");
          const res = await sendVerificationEmail({ email, callbackURL: callbackPath });
          setState(
            res.error ? { error: res.error.message ?? "Could not send the email. Try again later." } : "sent",
          );
        }}
      >
        {state === "sending" && <Spinner />}
        {state === "sent" ? "Verification email sent" : "Send verification email"}
      </Button>
      {state === "sent" && (
        <p role="status" className="text-muted-foreground text-sm">
          Open the link in the email to {email}; it brings you back here.
        </p>
      )}
      {typeof state === "object" && (
        <p role="alert" className="text-destructive text-sm">
          {state.error}
        </p>
      )}
    </div>
  );
}

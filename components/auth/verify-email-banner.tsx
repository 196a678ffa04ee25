"use client";

import { useQuery } from "@tanstack/react-query";
import { MailWarning } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useTRPC } from "@/lib/trpc/client";

/**
 * A small notice for a signed-in user whose address is not verified yet: verification is what lets
 * them accept invitations. Nothing shows once it is verified. A page that knows the session passes
 * `initial`, so the notice is in the first paint rather than pushing the page down when the profile
 * arrives.
 */
export function VerifyEmailBanner({
  callbackPath,
  initial,
}: {
  callbackPath?: string;
  initial?: { email: string; emailVerified: boolean };
}) {
  const trpc = useTRPC();
  // With the session's answer there is nothing to ask: verifying happens through a link, which
  // loads a page (and a fresh answer) anyway.
  const profile = useQuery({ ...trpc.auth.profile.queryOptions(), enabled: !initial });
  const [state, setState] = useState<"idle" | "sending" | "sent" | { error: string }>("idle");
  const current = profile.data ?? initial;
  if (!current || current.emailVerified) return null;
  const email = current.email;

  async function resend() {
    setState("sending");
    // The auth client loads on this click only: the banner sits on every dashboard page.
    const { sendVerificationEmail } = await import("@/lib/auth-client");
    const res = await sendVerificationEmail({ email, callbackURL: callbackPath ?? "/email-verified" });
    setState(
      res.error ? { error: res.error.message ?? "Could not send the email. Try again later." } : "sent",
    );
  }

  return (
    <div
      role="status"
      data-testid="verify-email-banner"
      className="mb-6 flex flex-col gap-2 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm sm:flex-row sm:items-center"
    >
      <MailWarning className="hidden size-4 shrink-0 sm:block" aria-hidden />
      <p className="flex-1">
        {state === "sent" ? (
          <>
            Sent. Open the link in the email to <span className="font-medium">{email}</span>.
          </>
        ) : typeof state === "object" ? (
          <span className="text-destructive">{state.error}</span>
        ) : (
          <>
            Verify your email address <span className="font-medium">{email}</span>: open the link we sent you.
            Until then you cannot accept invitations to other workspaces.
          </>
        )}
      </p>
      {state !== "sent" && (
        <Button size="sm" variant="outline" onClick={resend} disabled={state === "sending"}>
          {state === "sending" && <Spinner />}
          Resend verification email
        </Button>
      )}
    </div>
  );
}

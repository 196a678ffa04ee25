import { CheckCircle2, CircleAlert } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { getDb } from "@/server/db";
import { clientIp } from "@/server/request-info";
import { confirmSubscription } from "@/server/services/forms/submit";

export const metadata: Metadata = { title: "Confirm subscription", robots: { index: false } };
export const dynamic = "force-dynamic";

const MESSAGES = {
  invalid: [
    "This link is not valid",
    "It may have been copied incompletely. Sign up again to get a new one.",
  ],
  expired: ["This link has expired", "Confirmation links last 7 days. Sign up again to get a new one."],
  inactive: ["We can't confirm this address", "This address is no longer subscribed."],
} as const;

/**
 * The double opt-in link. Opening it confirms (a GET, as mail clients only follow links); a second
 * open says "already confirmed"; a tampered or expired link changes nothing.
 */
export default async function ConfirmPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") q.set(k, v);
  const h = await headers();
  const r = await confirmSubscription(await getDb(), q, {
    userId: null,
    ip: clientIp(h),
    userAgent: h.get("user-agent"),
  });
  const ok = r.status === "confirmed" || r.status === "already-confirmed";
  const [title, text] =
    r.status === "confirmed" || r.status === "already-confirmed"
      ? [
          r.status === "confirmed" ? "Subscription confirmed" : "Already confirmed",
          `You're on the list for ${r.workspaceName}. ${r.form.settings.successMessage}`,
        ]
      : MESSAGES[r.status];
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 px-4 py-10">
      <div className="flex w-full max-w-md flex-col items-center gap-3 rounded-xl border bg-card p-8 text-center shadow-sm">
        {ok ? (
          <CheckCircle2 className="size-10 text-primary" aria-hidden />
        ) : (
          <CircleAlert className="size-10 text-destructive" aria-hidden />
        )}
        <h1 className="font-semibold text-xl" data-testid="confirm-title">
          {title}
        </h1>
        <p className="text-muted-foreground text-sm">{text}</p>
      </div>
    </main>
  );
}

import { CheckCircle2, MailX } from "lucide-react";
import type { Metadata } from "next";
import { buttonVariants } from "@/components/ui/button";
import { getDb } from "@/server/db";
import { describeUnsubscribe } from "@/server/services/email/unsubscribe";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false, follow: false } };

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** The page behind every email's unsubscribe link: one confirm button, no login, no cookies. */
export default async function UnsubscribePage({ params, searchParams }: Props) {
  const { token } = await params;
  const done = (await searchParams).done === "1";
  const target = await describeUnsubscribe(await getDb(), token);

  let body: React.ReactNode;
  if (!target) {
    body = (
      <>
        <MailX className="size-10 text-muted-foreground" aria-hidden />
        <h1 className="text-xl font-semibold">This link is not valid</h1>
        <p className="text-sm text-muted-foreground">
          Check that the whole link from the email was opened, or reply to the email and ask to be removed.
        </p>
      </>
    );
  } else if (target.test) {
    body = (
      <>
        <MailX className="size-10 text-muted-foreground" aria-hidden />
        <h1 className="text-xl font-semibold">This was a test email</h1>
        <p className="text-sm text-muted-foreground">
          Recipients of the real campaign get a working unsubscribe link here.
        </p>
      </>
    );
  } else if (done || target.alreadyUnsubscribed) {
    body = (
      <>
        <CheckCircle2 className="size-10 text-emerald-600" aria-hidden />
        <h1 className="text-xl font-semibold">You are unsubscribed</h1>
        <p className="text-sm text-muted-foreground">
          {target.maskedEmail} will get no more marketing email from {target.workspaceName}.
        </p>
      </>
    );
  } else {
    body = (
      <>
        <MailX className="size-10 text-muted-foreground" aria-hidden />
        <h1 className="text-xl font-semibold">Unsubscribe from {target.workspaceName}?</h1>
        <p className="text-sm text-muted-foreground">
          {target.maskedEmail} will stop getting marketing email from {target.workspaceName}.
        </p>
        <form method="post" action={`/api/unsubscribe/${encodeURIComponent(token)}`} className="w-full">
          <input type="hidden" name="confirm" value="1" />
          <button type="submit" className={buttonVariants({ className: "w-full" })}>
            Unsubscribe
          </button>
        </form>
      </>
    );
  }

  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 p-6">
      <div className="flex w-full max-w-sm flex-col items-center gap-4 rounded-xl border bg-card p-8 text-center shadow-sm">
        {body}
      </div>
    </main>
  );
}

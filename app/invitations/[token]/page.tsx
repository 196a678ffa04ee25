import type { Metadata } from "next";
import Link from "next/link";
import { SendVerificationButton } from "@/components/auth/send-verification-button";
import { Logo } from "@/components/brand/logo";
import { InvitationActions } from "@/components/dashboard/invitation-actions";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { env } from "@/lib/env";
import { getDb } from "@/server/db";
import { NotFoundError } from "@/server/errors";
import { systemActor } from "@/server/services/context";
import { getProfile } from "@/server/services/users";
import { getInvitationByToken } from "@/server/services/workspaces";
import { currentUser } from "@/server/session";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await currentUser();
  const db = await getDb();
  let invitation: Awaited<ReturnType<typeof getInvitationByToken>> | null = null;
  try {
    invitation = await getInvitationByToken(db, token);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  // Answering needs the invited address, verified (issue 12): read from the users table.
  const verified = user ? (await getProfile({ db, actor: systemActor }, user.id)).emailVerified : false;
  const canSignUp = env().SIGNUP !== "closed";
  const next = `/invitations/${token}`;

  let body: React.ReactNode;
  if (!invitation) {
    body = <CardDescription>This invitation link is not valid. Ask for a new one.</CardDescription>;
  } else if (invitation.status !== "pending") {
    body = <CardDescription>This invitation was already {invitation.status}.</CardDescription>;
  } else if (invitation.expired) {
    body = (
      <CardDescription>
        This invitation has expired. Ask {invitation.invitedBy?.name ?? "the workspace admin"} for a new one.
      </CardDescription>
    );
  } else {
    body = (
      <CardDescription>
        {invitation.invitedBy?.name || invitation.invitedBy?.email || "A teammate"} invited{" "}
        <span className="font-medium text-foreground">{invitation.email}</span> to join{" "}
        <span className="font-medium text-foreground">{invitation.workspace.name}</span> as{" "}
        <span className="font-medium text-foreground">{invitation.role}</span>.
      </CardDescription>
    );
  }

  const actionable = invitation?.status === "pending" && !invitation.expired ? invitation : null;
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center bg-muted/40 px-4 py-10">
      <Logo className="mb-8 text-lg" />
      <Card className="w-full max-w-md">
        <CardHeader>
          <CardTitle className="text-xl">
            {invitation ? `Join ${invitation.workspace.name}` : "Invitation"}
          </CardTitle>
          {body}
        </CardHeader>
        {actionable && (
          <CardContent>
            {!user ? (
              <p className="text-sm text-muted-foreground">
                {canSignUp ? "Sign in or create an account" : "Sign in"} with {actionable.email} to answer.
              </p>
            ) : user.email !== actionable.email ? (
              <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
                You are signed in as {user.email}. This invitation is for {actionable.email}: sign out and
                sign in with that address.
              </p>
            ) : !verified ? (
              <div className="grid gap-3" data-testid="invitation-verify-first">
                <p role="alert" className="rounded-md bg-warning/10 px-3 py-2 text-sm">
                  Verify your email address first: we sent a link to{" "}
                  <span className="font-medium">{actionable.email}</span> when you signed up. Opening it shows
                  the address is yours; then you can accept.
                </p>
                <SendVerificationButton email={actionable.email} callbackPath={next} />
              </div>
            ) : null}
          </CardContent>
        )}
        <CardFooter className="flex flex-wrap gap-2">
          {actionable && !user && (
            <>
              {canSignUp && (
                <Link
                  className={buttonVariants()}
                  href={`/sign-up?next=${encodeURIComponent(next)}&email=${encodeURIComponent(actionable.email)}`}
                >
                  Create account
                </Link>
              )}
              <Link
                className={buttonVariants({ variant: canSignUp ? "outline" : "default" })}
                href={`/sign-in?next=${encodeURIComponent(next)}&email=${encodeURIComponent(actionable.email)}`}
              >
                Sign in
              </Link>
            </>
          )}
          {actionable && user && user.email === actionable.email && verified && (
            <InvitationActions token={token} slug={actionable.workspace.slug} />
          )}
          {(!actionable || (user && user.email !== invitation?.email)) && (
            <Link className={buttonVariants({ variant: "outline" })} href="/">
              Go home
            </Link>
          )}
        </CardFooter>
      </Card>
    </div>
  );
}

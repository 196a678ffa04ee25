import { CircleCheck } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Email address verified" };

/** Where a verification link lands (better-auth adds `?error=` when the token was bad or expired). */
export default async function EmailVerifiedPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string | string[] }>;
}) {
  const { error } = await searchParams;
  if (error) {
    return (
      <Card data-testid="email-verified-error">
        <CardHeader>
          <CardTitle className="text-xl">This link does not work</CardTitle>
          <CardDescription>
            {error === "TOKEN_EXPIRED"
              ? "The verification link has expired."
              : "The verification link is not valid (it may have been cut short by your mail program)."}{" "}
            Sign in and use “Resend verification email” to get a new one.
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
  return (
    <Card data-testid="email-verified">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-xl">
          <CircleCheck className="size-5 text-success" aria-hidden /> Email address verified
        </CardTitle>
        <CardDescription>Thank you. You can now accept invitations sent to this address.</CardDescription>
      </CardHeader>
      <CardFooter>
        <Link href="/" className={cn(buttonVariants(), "w-full")}>
          Continue
        </Link>
      </CardFooter>
    </Card>
  );
}

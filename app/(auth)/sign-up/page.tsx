import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AuthForm } from "@/components/auth/auth-form";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { env } from "@/lib/env";
import { cn } from "@/lib/utils";
import { signInProviders } from "@/server/auth-providers";

export const metadata: Metadata = { title: "Create account" };
// SIGNUP is read when the page is asked for, not when it was built.
export const dynamic = "force-dynamic";

export default function SignUpPage() {
  const signup = env().SIGNUP;
  if (signup === "closed") {
    return (
      <Card data-testid="sign-up-closed">
        <CardHeader>
          <CardTitle className="text-xl">Sign-up is closed</CardTitle>
          <CardDescription>
            New accounts on this server are created by its operator. If you already have one, sign in.
          </CardDescription>
        </CardHeader>
        <CardFooter>
          <Link className={cn(buttonVariants(), "w-full")} href="/sign-in">
            Sign in
          </Link>
        </CardFooter>
      </Card>
    );
  }
  return (
    <Suspense>
      <AuthForm mode="sign-up" signup={signup} providers={signInProviders()} />
    </Suspense>
  );
}

import type { Metadata } from "next";
import { AuthForm, type AuthSearchParams } from "@/components/auth/auth-form";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { env } from "@/lib/env";
import { cn } from "@/lib/utils";
import { signInProviders } from "@/server/auth-providers";

export const metadata: Metadata = { title: "Create account" };
// SIGNUP is read when the page is asked for, not when it was built.
export const dynamic = "force-dynamic";

export default async function SignUpPage({ searchParams }: { searchParams: Promise<AuthSearchParams> }) {
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
          <a className={cn(buttonVariants(), "w-full")} href="/sign-in">
            Sign in
          </a>
        </CardFooter>
      </Card>
    );
  }
  return (
    <AuthForm
      mode="sign-up"
      signup={signup}
      providers={signInProviders()}
      searchParams={await searchParams}
    />
  );
}

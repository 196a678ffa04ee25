import type { Metadata } from "next";
import { AuthForm, type AuthSearchParams } from "@/components/auth/auth-form";
import { env } from "@/lib/env";
import { signInProviders } from "@/server/auth-providers";

export const metadata: Metadata = { title: "Sign in" };
// SIGNUP (whether to offer "Create an account") is read at request time.
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<AuthSearchParams> }) {
  return (
    <AuthForm
      mode="sign-in"
      signup={env().SIGNUP}
      providers={signInProviders()}
      searchParams={await searchParams}
    />
  );
}

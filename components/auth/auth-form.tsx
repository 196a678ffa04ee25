"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { EMAIL_PATTERN } from "@/lib/email-address";
import { safeNext } from "@/lib/safe-next";
import type { SignInProvider } from "@/server/auth-providers";
import { AuthFormError, AuthSubmitButton } from "./auth-card";
import { PasskeySignInButton } from "./passkey-sign-in-button";
import { ProviderButtons } from "./provider-buttons";
import { type FieldRule, useCheckedFields } from "./use-checked-fields";

// Plain rules, not a Zod schema: the sign-in and sign-up pages stay light (issue 15). The server
// checks everything again; these only spare a round trip. Zod's email pattern, so both agree.
const emailRule: FieldRule = (v) => EMAIL_PATTERN.test(v.trim()) || "Enter a valid email address";
const nameRule: FieldRule = (v) => {
  const name = v.trim();
  if (!name) return "Enter your name";
  return name.length <= 255 || "Use at most 255 characters";
};
const passwordRule =
  (mode: "sign-in" | "sign-up"): FieldRule =>
  (pw) => {
    if (mode === "sign-in") return pw.length > 0 || "Enter your password";
    if (pw.length < 8) return "Use at least 8 characters";
    return pw.length <= 128 || "Use at most 128 characters";
  };

/** The SIGNUP switch as the pages show it: who may create an account here. */
export type SignUpPolicy = "open" | "invite" | "closed";

const tooManyOr = (e: { status: number; message?: string }) =>
  e.status === 429
    ? (e.message ?? "Too many attempts. Wait a minute and try again.")
    : (e.message ?? "Something went wrong");

/** What a provider's redirect brings back in `?error=` (better-auth's codes and ours), as a sentence. */
function providerError(code: string | null, signup: SignUpPolicy): string | null {
  if (!code) return null;
  switch (code) {
    case "SIGN_UP_NOT_ALLOWED":
    case "signup_disabled":
      return signup === "invite"
        ? "There is no account for that address here, and sign-up is by invitation: sign in with the address your invitation was sent to, or ask a workspace admin to invite you."
        : "There is no account for that address here, and sign-up is closed: ask a workspace admin to invite you.";
    case "account_not_linked":
      return "An account with that address exists. Sign in with it first, then link this provider from Settings → Security.";
    case "PROVIDER_EMAIL_NOT_VERIFIED":
    case "email_not_found":
      return "The provider did not confirm a verified email address, so no account was created. Verify your address there (on GitHub: make a verified address your primary one) and try again.";
    case "access_denied":
      return "Sign-in was cancelled at the provider.";
    case "invalid_code":
      return "The provider did not accept this sign-in (it may have taken too long). Try again.";
    case "state_mismatch":
    case "state_not_found":
    case "state_invalid":
      return "That sign-in could not be matched to this browser (it may have expired, or started in another one). Try again.";
    default:
      return `Sign-in with that provider failed (${code.replaceAll("_", " ").toLowerCase()}). Try again or use your email and password.`;
  }
}

export function AuthForm({
  mode,
  signup = "open",
  providers = [],
}: {
  mode: "sign-in" | "sign-up";
  signup?: SignUpPolicy;
  providers?: SignInProvider[];
}) {
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [error, setError] = useState<string | null>(() => providerError(params.get("error"), signup));
  const [notice, setNotice] = useState<string | null>(null);
  const form = useCheckedFields(
    { name: "", email: params.get("email") ?? "", password: "" },
    mode === "sign-up"
      ? { name: nameRule, email: emailRule, password: passwordRule(mode) }
      : { email: emailRule, password: passwordRule(mode) },
  );
  const { errors, values } = form;
  const [isSubmitting, setSubmitting] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const wrong = form.check();
    if (wrong) {
      document.getElementById(wrong)?.focus();
      return;
    }
    setSubmitting(true);
    try {
      await submit();
    } finally {
      setSubmitting(false);
    }
  }

  async function submit() {
    setError(null);
    setNotice(null);
    const email = values.email.trim();
    // The auth client loads when the form is sent, not with the page (issue 15: a light sign-in).
    const { signIn, signUp } = await import("@/lib/auth-client");
    if (mode === "sign-up") {
      // Sign-up answers an existing address exactly as a new one and starts no session; signing in
      // next tells the two apart only for whoever knows the password.
      const created = await signUp.email({
        name: values.name.trim(),
        email,
        password: values.password,
        callbackURL: next ?? undefined,
      });
      if (created.error) {
        setError(tooManyOr(created.error));
        return;
      }
    }
    const res = await signIn.email({ email, password: values.password });
    if (res.error) {
      if (mode === "sign-up" && res.error.status === 401) {
        setNotice(
          `We sent a message to ${email}. If that address already has an account, sign in with its password or reset it.`,
        );
        return;
      }
      setError(tooManyOr(res.error));
      return;
    }
    // Two-factor accounts finish signing in with a code.
    if (res.data && "twoFactorRedirect" in res.data && res.data.twoFactorRedirect) {
      router.replace(next ? `/two-factor?next=${encodeURIComponent(next)}` : "/two-factor");
      return;
    }
    router.replace(next ?? (mode === "sign-up" ? "/onboarding" : "/"));
    router.refresh();
  }

  const other = mode === "sign-in" ? "/sign-up" : "/sign-in";
  const otherHref = next ? `${other}?next=${encodeURIComponent(next)}` : other;
  const typedEmail = values.email;
  const forgotHref = `/forgot-password${typedEmail ? `?email=${encodeURIComponent(typedEmail.trim())}` : ""}`;

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">
          <h1>{mode === "sign-in" ? "Sign in" : "Create your account"}</h1>
        </CardTitle>
        <CardDescription>
          {mode === "sign-in"
            ? "Welcome back. Sign in to your workspace."
            : signup === "invite"
              ? "Sign-up here is by invitation: use the address your invitation was sent to."
              : "Start planning your organic marketing."}
        </CardDescription>
      </CardHeader>
      <form method="post" onSubmit={onSubmit} noValidate>
        <CardContent className="grid gap-4">
          <ProviderButtons providers={providers} next={next} onError={setError} />
          {mode === "sign-up" && (
            <Field label="Name" htmlFor="name" error={errors.name}>
              <Input autoComplete="name" {...form.field("name")} />
            </Field>
          )}
          <Field label="Email" htmlFor="email" error={errors.email}>
            <Input type="email" autoComplete="email" {...form.field("email")} />
          </Field>
          <Field
            label={
              mode === "sign-in" ? (
                <span className="flex w-full items-center justify-between">
                  Password
                  <Link
                    href={forgotHref}
                    className="font-normal text-muted-foreground text-xs underline-offset-4 hover:text-foreground hover:underline"
                    data-testid="forgot-password-link"
                  >
                    Forgot password?
                  </Link>
                </span>
              ) : (
                "Password"
              )
            }
            htmlFor="password"
            error={errors.password}
            hint={mode === "sign-up" ? "At least 8 characters, not a commonly used password." : undefined}
          >
            <Input
              type="password"
              autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
              {...form.field("password")}
            />
          </Field>
          {error && <AuthFormError>{error}</AuthFormError>}
          {notice && (
            <p role="status" className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="auth-notice">
              {notice}{" "}
              <Link href={forgotHref} className="font-medium underline-offset-4 hover:underline">
                Reset password
              </Link>
            </p>
          )}
        </CardContent>
        <CardFooter className="mt-6 flex flex-col gap-3">
          <AuthSubmitButton busy={isSubmitting}>
            {mode === "sign-in" ? "Sign in" : "Create account"}
          </AuthSubmitButton>
          {mode === "sign-in" && <PasskeySignInButton next={next} onError={setError} />}
          {(mode === "sign-up" || signup !== "closed") && (
            <p className="text-sm text-muted-foreground">
              {mode === "sign-in" ? "New to Organic? " : "Already have an account? "}
              <Link
                href={otherHref}
                className="font-medium text-foreground underline-offset-4 hover:underline"
              >
                {mode === "sign-in" ? "Create an account" : "Sign in"}
              </Link>
            </p>
          )}
        </CardFooter>
      </form>
    </Card>
  );
}

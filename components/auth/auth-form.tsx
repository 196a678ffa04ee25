import type { ReactNode } from "react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { KeyRoundIcon, StaticSpinner } from "@/components/ui/static-icons";
import { safeNext } from "@/lib/safe-next";
import type { SignInProvider } from "@/server/auth-providers";
import {
  AuthButton,
  AuthFieldError,
  AuthFormMessages,
  AuthInput,
  ForgotPasswordLink,
} from "./auth-form-parts";
import type { AuthFieldName } from "./auth-form-rules";
import { AuthFormShell } from "./auth-form-shell";

/** The SIGNUP switch as the pages show it: who may create an account here. */
export type SignUpPolicy = "open" | "invite" | "closed";

/** What a provider's redirect brings back in `?error=` (better-auth's codes and ours), as a sentence. */
function providerError(code: string | undefined, signup: SignUpPolicy): string | null {
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

/** The query a sign-in or sign-up page was opened with (`?next=`, `?email=`, a provider's `?error=`). */
export type AuthSearchParams = Record<string, string | string[] | undefined>;
const param = (params: AuthSearchParams, key: string) => {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
};

const linkClasses = "font-medium text-foreground underline-offset-4 hover:underline";
const outlineButton = buttonVariants({ variant: "outline", className: "w-full" });

/** A labelled text field; its input and its check's message are the browser's parts. */
function AuthField({
  name,
  label,
  hint,
  type,
  autoComplete,
}: {
  name: AuthFieldName;
  label: ReactNode;
  hint?: string;
  type?: "text" | "email" | "password";
  autoComplete: string;
}) {
  return (
    <div data-slot="field" className="grid gap-2">
      <label htmlFor={name} className="flex select-none items-center gap-2 font-medium text-sm leading-none">
        {label}
      </label>
      <AuthInput name={name} type={type} autoComplete={autoComplete} hinted={Boolean(hint)} />
      {hint && (
        <p id={`${name}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      )}
      <AuthFieldError name={name} />
    </div>
  );
}

/**
 * "Continue with Google / GitHub / <SSO>": each starts the provider's redirect flow (better-auth
 * registers the OIDC provider beside the social ones). Back here with `?error=` when it fails.
 */
function ProviderButtons({ providers }: { providers: SignInProvider[] }) {
  if (providers.length === 0) return null;
  return (
    <div className="grid gap-2" data-testid="sign-in-providers">
      {providers.map((p) => (
        <AuthButton
          key={p.id}
          action={{ provider: p.id, name: p.name }}
          className={outlineButton}
          spinner={<StaticSpinner />}
          testId={`sign-in-with-${p.id}`}
        >
          {p.kind === "oidc" ? `Sign in with ${p.name}` : `Continue with ${p.name}`}
        </AuthButton>
      ))}
      <div className="relative my-2 text-center text-muted-foreground text-xs">
        <span className="relative z-10 bg-card px-2">or with email</span>
        <span aria-hidden className="absolute inset-x-0 top-1/2 border-t" />
      </div>
    </div>
  );
}

/**
 * The sign-in and sign-up form, rendered on the server; only its inputs, messages and buttons run in
 * the browser (auth-form-shell.tsx, auth-form-parts.tsx). Links are plain anchors and icons plain SVG: `next/link` and
 * lucide-react would add their client code to the page (issue 15).
 */
export function AuthForm({
  mode,
  signup = "open",
  providers = [],
  searchParams,
}: {
  mode: "sign-in" | "sign-up";
  signup?: SignUpPolicy;
  providers?: SignInProvider[];
  searchParams: AuthSearchParams;
}) {
  const next = safeNext(param(searchParams, "next"));
  const other = mode === "sign-in" ? "/sign-up" : "/sign-in";
  const otherHref = next ? `${other}?next=${encodeURIComponent(next)}` : other;
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
      <AuthFormShell
        mode={mode}
        next={next}
        initialEmail={param(searchParams, "email") ?? ""}
        initialError={providerError(param(searchParams, "error"), signup)}
      >
        <CardContent className="grid gap-4">
          <ProviderButtons providers={providers} />
          {mode === "sign-up" && <AuthField name="name" label="Name" autoComplete="name" />}
          <AuthField name="email" label="Email" type="email" autoComplete="email" />
          <AuthField
            name="password"
            type="password"
            autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
            label={
              mode === "sign-in" ? (
                <span className="flex w-full items-center justify-between">
                  Password
                  <ForgotPasswordLink className="font-normal text-muted-foreground text-xs underline-offset-4 hover:text-foreground hover:underline">
                    Forgot password?
                  </ForgotPasswordLink>
                </span>
              ) : (
                "Password"
              )
            }
            hint={mode === "sign-up" ? "At least 8 characters, not a commonly used password." : undefined}
          />
          <AuthFormMessages />
        </CardContent>
        <CardFooter className="mt-6 flex flex-col gap-3">
          <AuthButton
            action="submit"
            className={buttonVariants({ className: "w-full" })}
            spinner={<StaticSpinner />}
          >
            {mode === "sign-in" ? "Sign in" : "Create account"}
          </AuthButton>
          {mode === "sign-in" && (
            <AuthButton
              action="passkey"
              className={outlineButton}
              icon={<KeyRoundIcon aria-hidden />}
              spinner={<StaticSpinner />}
              testId="sign-in-with-passkey"
            >
              Continue with a passkey
            </AuthButton>
          )}
          {(mode === "sign-up" || signup !== "closed") && (
            <p className="text-muted-foreground text-sm">
              {mode === "sign-in" ? "New to Organic? " : "Already have an account? "}
              <a href={otherHref} className={linkClasses}>
                {mode === "sign-in" ? "Create an account" : "Sign in"}
              </a>
            </p>
          )}
        </CardFooter>
      </AuthFormShell>
    </Card>
  );
}

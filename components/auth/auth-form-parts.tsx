"use client";

import { type ReactNode, useEffect, useState } from "react";
import { inputClasses } from "@/components/ui/input-classes";
import { type AuthFieldName, forgotPasswordHref } from "./auth-form-rules";
import { type Busy, useAuthForm } from "./auth-form-shell";
import { passkeyUnavailableReason } from "./passkey-support";

/*
 * The sign-in and sign-up forms' parts that live in the browser, inside <AuthFormShell>: plain
 * markup and class strings computed on the server (no `cn`, no lucide-react, no next/link).
 */

/** A text field's input, with its check's verdict announced and described. */
export function AuthInput({
  name,
  type = "text",
  autoComplete,
  hinted = false,
}: {
  name: AuthFieldName;
  type?: "text" | "email" | "password";
  autoComplete: string;
  hinted?: boolean;
}) {
  const { values, errors, onChange, onBlur } = useAuthForm();
  const error = errors[name];
  const describedBy = [hinted && `${name}-hint`, error && `${name}-error`].filter(Boolean).join(" ");
  return (
    <input
      id={name}
      name={name}
      type={type}
      autoComplete={autoComplete}
      data-slot="input"
      className={inputClasses}
      value={values[name]}
      onChange={onChange}
      onBlur={onBlur}
      aria-invalid={Boolean(error)}
      aria-describedby={describedBy || undefined}
    />
  );
}

export function AuthFieldError({ name }: { name: AuthFieldName }) {
  const error = useAuthForm().errors[name];
  if (!error) return null;
  return (
    <p id={`${name}-error`} role="alert" className="text-destructive text-sm">
      {error}
    </p>
  );
}

/** The request's refusal, or sign-up's "we sent a message" notice. */
export function AuthFormMessages() {
  const { error, notice, values } = useAuthForm();
  return (
    <>
      {error && (
        <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-destructive text-sm">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="auth-notice">
          {notice}{" "}
          <a
            href={forgotPasswordHref(values.email)}
            className="font-medium underline-offset-4 hover:underline"
          >
            Reset password
          </a>
        </p>
      )}
    </>
  );
}

/** "Forgot password?", carrying the address typed so far to the reset form. */
export function ForgotPasswordLink({ className, children }: { className: string; children: ReactNode }) {
  const { values } = useAuthForm();
  return (
    <a href={forgotPasswordHref(values.email)} className={className} data-testid="forgot-password-link">
      {children}
    </a>
  );
}

/**
 * A button of the form: the submit, "Continue with a passkey" or a provider's. Its look comes from the
 * page (class names computed on the server); the spinner shows on the one that is running, and
 * every button waits while anything runs. The passkey button appears once this page can use
 * passkeys at all (known only in the browser: https or localhost, and a domain name).
 */
export function AuthButton({
  action,
  className,
  icon,
  spinner,
  testId,
  children,
}: {
  action: "submit" | "passkey" | { provider: string; name: string };
  className: string;
  icon?: ReactNode;
  spinner: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  const { busy, startPasskey, startProvider } = useAuthForm();
  const [shown, setShown] = useState(action !== "passkey");
  useEffect(() => {
    if (action === "passkey") setShown(passkeyUnavailableReason() === null);
  }, [action]);
  if (!shown) return null;
  const key: Busy = typeof action === "string" ? action : `provider:${action.provider}`;
  const onClick =
    action === "submit"
      ? undefined
      : action === "passkey"
        ? startPasskey
        : () => startProvider(action.provider, action.name);
  return (
    <button
      type={action === "submit" ? "submit" : "button"}
      data-slot="button"
      className={className}
      disabled={busy !== null}
      onClick={onClick}
      data-testid={testId}
    >
      {busy === key ? spinner : icon}
      {children}
    </button>
  );
}

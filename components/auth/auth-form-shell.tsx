"use client";

import { useRouter } from "next/navigation";
import {
  type ChangeEvent,
  createContext,
  type FocusEvent,
  type FormEvent,
  type ReactNode,
  use,
  useRef,
  useState,
} from "react";
import { type AuthFieldName, type AuthMode, passkeyError, RULES, tooManyOr } from "./auth-form-rules";

/**
 * The sign-in and sign-up forms' state in the browser. The page renders the card, labels, hints and
 * the buttons' looks on the server; this holds what only the browser can: the typed values, their
 * checks, the request and its answer, shared with the parts in auth-form-parts.tsx. With those it is
 * all the page ships beyond the framework (issue 15, "no client components the page does not need").
 */

/** What is running: the form's submit, the passkey, or a provider's id. */
export type Busy = "submit" | "passkey" | `provider:${string}` | null;

export interface AuthFormState {
  values: Record<AuthFieldName, string>;
  errors: Partial<Record<AuthFieldName, string>>;
  error: string | null;
  notice: string | null;
  busy: Busy;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  onBlur: (e: FocusEvent<HTMLInputElement>) => void;
  startPasskey: () => void;
  startProvider: (id: string, name: string) => void;
}

const AuthFormContext = createContext<AuthFormState | null>(null);

export function useAuthForm(): AuthFormState {
  const state = use(AuthFormContext);
  if (!state) throw new Error("an auth form part outside <AuthFormShell>");
  return state;
}

const isField = (name: string): name is AuthFieldName =>
  name === "name" || name === "email" || name === "password";

/**
 * The `<form>`: checks a field when it loses focus, then on every change (a form library's "on
 * touched" mode), every field on submit; then signs up and/or in, and on to `next`.
 */
export function AuthFormShell({
  mode,
  next,
  initialEmail,
  initialError,
  children,
}: {
  mode: AuthMode;
  next: string | null;
  initialEmail: string;
  initialError: string | null;
  children: ReactNode;
}) {
  const router = useRouter();
  const rules = RULES[mode];
  const [values, setValues] = useState({ name: "", email: initialEmail, password: "" });
  const [errors, setErrors] = useState<Partial<Record<AuthFieldName, string>>>({});
  const touched = useRef(new Set<AuthFieldName>());
  const [error, setError] = useState(initialError);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);

  const errorOf = (key: AuthFieldName, value: string) => {
    const verdict = rules[key]?.(value);
    return verdict === undefined || verdict === true ? undefined : verdict;
  };

  function onChange(e: ChangeEvent<HTMLInputElement>) {
    const { name, value } = e.target;
    if (!isField(name)) return;
    setValues((s) => ({ ...s, [name]: value }));
    if (touched.current.has(name)) setErrors((s) => ({ ...s, [name]: errorOf(name, value) }));
  }

  function onBlur(e: FocusEvent<HTMLInputElement>) {
    const { name, value } = e.target;
    if (!isField(name)) return;
    touched.current.add(name);
    setErrors((s) => ({ ...s, [name]: errorOf(name, value) }));
  }

  function arrive(fallback: string) {
    router.replace(next ?? fallback);
    router.refresh();
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const found: Partial<Record<AuthFieldName, string>> = {};
    let first: AuthFieldName | null = null;
    for (const key of Object.keys(rules) as AuthFieldName[]) {
      touched.current.add(key);
      found[key] = errorOf(key, values[key]);
      if (found[key] && first === null) first = key;
    }
    setErrors(found);
    if (first) {
      document.getElementById(first)?.focus();
      return;
    }
    setBusy("submit");
    try {
      await submit();
    } finally {
      setBusy(null);
    }
  }

  async function submit() {
    setError(null);
    setNotice(null);
    const email = values.email.trim();
    // The auth client loads when the form is sent, not with the page.
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
      if (created.error) return setError(tooManyOr(created.error));
    }
    const res = await signIn.email({ email, password: values.password });
    if (res.error) {
      if (mode === "sign-up" && res.error.status === 401) {
        return setNotice(
          `We sent a message to ${email}. If that address already has an account, sign in with its password or reset it.`,
        );
      }
      return setError(tooManyOr(res.error));
    }
    // Two-factor accounts finish signing in with a code.
    if (res.data && "twoFactorRedirect" in res.data && res.data.twoFactorRedirect) {
      router.replace(next ? `/two-factor?next=${encodeURIComponent(next)}` : "/two-factor");
      return;
    }
    arrive(mode === "sign-up" ? "/onboarding" : "/");
  }

  async function startPasskey() {
    setError(null);
    setBusy("passkey");
    // The auth client (and its WebAuthn code) loads on this click, not with the sign-in page.
    const { signIn } = await import("@/lib/auth-client");
    const res = await signIn.passkey();
    if (res?.error || !res?.data) {
      setBusy(null);
      setError(passkeyError(res?.error ?? {}));
      return;
    }
    arrive("/");
  }

  async function startProvider(id: string, name: string) {
    setError(null);
    setBusy(`provider:${id}`);
    const { signIn } = await import("@/lib/auth-client");
    const res = await signIn.social({
      provider: id,
      callbackURL: next ?? "/",
      newUserCallbackURL: next ?? "/onboarding",
      errorCallbackURL: next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in",
    });
    if (res.error) {
      setBusy(null);
      setError(res.error.message ?? `Could not start signing in with ${name}`);
    }
  }

  const state = { values, errors, error, notice, busy, onChange, onBlur, startPasskey, startProvider };
  return (
    <AuthFormContext value={state}>
      <form method="post" onSubmit={onSubmit} noValidate>
        {children}
      </form>
    </AuthFormContext>
  );
}

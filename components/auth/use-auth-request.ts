"use client";

import { useState } from "react";

type AuthResult = { error: { message?: string } | null };

/**
 * One better-auth call at a time from a form: `busy` while it runs, then its error message (or the
 * fallback) in `error`. `run` resolves to the successful result, or null when it failed.
 */
export function useAuthRequest() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run<R extends AuthResult>(request: () => Promise<R>, fallback: string) {
    setError(null);
    setBusy(true);
    const res = await request();
    setBusy(false);
    if (res.error) {
      setError(res.error.message ?? fallback);
      return null;
    }
    return res as Extract<R, { error: null }>;
  }

  return { error, setError, busy, run };
}

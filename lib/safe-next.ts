/** Only same-site paths may follow a sign-in, sign-up or verification (no open redirect). */
export function safeNext(next: string | null | undefined): string | null {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : null;
}

import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "@/server/services/email/outbox";

describe("redactSecrets (what the outbox may keep)", () => {
  const base = "https://organic.example.com";
  const cases: Array<[string, string]> = [
    [`${base}/invitations/Ap6xY_-9z`, `${base}/invitations/${REDACTED}`],
    [`${base}/u/dQpl.Mjow-_x`, `${base}/u/${REDACTED}`],
    [`<${base}/api/unsubscribe/abc.def>`, `<${base}/api/unsubscribe/${REDACTED}>`],
    [`${base}/api/track/open/abc.def`, `${base}/api/track/open/${REDACTED}`],
    [`href="${base}/api/track/click/abc.def"`, `href="${base}/api/track/click/${REDACTED}"`],
    [`${base}/f/confirm?l=1&f=2&e=3&s=sig`, `${base}/f/confirm?${REDACTED}`],
    [`href="${base}/f/confirm?l=1&amp;s=sig">`, `href="${base}/f/confirm?${REDACTED}">`],
    [
      `${base}/api/auth/verify-email?token=ey.J.x&callbackURL=%2F`,
      `${base}/api/auth/verify-email?${REDACTED}`,
    ],
    [`${base}/reset-password?token=abc`, `${base}/reset-password?${REDACTED}`],
    [
      `${base}/api/auth/reset-password/abc?callbackURL=x`,
      `${base}/api/auth/reset-password/${REDACTED}?callbackURL=x`,
    ],
  ];
  it.each(cases)("%s", (input, expected) => {
    expect(redactSecrets(`Open: ${input} now`)).toBe(`Open: ${expected} now`);
  });

  it("leaves ordinary links and text alone, and is idempotent", () => {
    const text = `Read https://example.com/blog/post?id=3 and ${base}/blog/acme`;
    expect(redactSecrets(text)).toBe(text);
    const once = redactSecrets(`${base}/invitations/abc and ${base}/f/confirm?s=1`);
    expect(redactSecrets(once)).toBe(once);
  });
});

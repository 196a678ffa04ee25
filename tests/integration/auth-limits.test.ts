import { base32 } from "@better-auth/utils/base32";
import { createOTP } from "@better-auth/utils/otp";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";

/** Issue 12 items 19 (sign-in lockout) and 9 (two-factor codes limited per user, not only per IP). */

const h = await setupTestDb();
routeHandlersUse(h);
const PASSWORD = "correct horse battery";
let ipSeq = 1;
const nextIp = () => `203.0.113.${ipSeq++}`;

afterEach(() => {
  delete process.env.AUTH_RATE_LIMIT_MAX;
  delete process.env.AUTH_RATE_LIMIT_ACCOUNT_HOURLY_MAX;
  delete process.env.AUTH_RATE_LIMIT_IP_MAX;
  resetEnvCache();
});

async function account(ip = nextIp()) {
  const email = uniqueEmail("acct");
  const b = new TestBrowser(ip);
  expect((await b.auth("/sign-up/email", { email, password: PASSWORD, name: "A" })).status).toBe(200);
  return email;
}

describe("sign-in attempts", () => {
  it("10 wrong passwords from one address do not lock the owner out from another", async () => {
    const email = await account();
    const attacker = new TestBrowser("198.51.100.66");
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(
        (await attacker.auth("/sign-in/email", { email, password: `wrong password ${i}` })).status,
      );
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);

    const owner = new TestBrowser("192.0.2.200");
    const res = await owner.auth("/sign-in/email", { email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(owner.hasCookie("session_token")).toBe(true);
  });

  it("a slower per-account backstop holds across many addresses", async () => {
    process.env.AUTH_RATE_LIMIT_ACCOUNT_HOURLY_MAX = "5";
    resetEnvCache();
    const email = await account();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const b = new TestBrowser(nextIp());
      statuses.push((await b.auth("/sign-in/email", { email, password: `wrong ${i}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const res = await new TestBrowser(nextIp()).auth("/sign-in/email", { email, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
  });

  it("one address trying many accounts meets the per-IP limit; other addresses do not", async () => {
    process.env.AUTH_RATE_LIMIT_IP_MAX = "3";
    resetEnvCache();
    const sprayer = new TestBrowser(nextIp());
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await sprayer.auth("/sign-in/email", { email: uniqueEmail("spray"), password: "wrong 1" });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const email = await account();
    expect(
      (await new TestBrowser(nextIp()).auth("/sign-in/email", { email, password: PASSWORD })).status,
    ).toBe(200);
  });
});

describe("two-factor codes", () => {
  async function withTwoFactor() {
    const email = await account();
    const b = new TestBrowser(nextIp());
    expect((await b.auth("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    const enable = await b.auth("/two-factor/enable", { password: PASSWORD });
    const { totpURI } = (await enable.json()) as { totpURI: string };
    const secret = new URL(totpURI).searchParams.get("secret")!;
    const code = () => createOTP(base32.decode(secret), { digits: 6, period: 30 }).totp();
    expect((await b.auth("/two-factor/verify-totp", { code: await code() })).status).toBe(200);
    return { email, code };
  }
  /** The password step of a sign-in: leaves the browser holding the pending two-factor cookie. */
  async function passwordStep(email: string) {
    const b = new TestBrowser(nextIp());
    const res = await b.auth("/sign-in/email", { email, password: PASSWORD });
    expect(await res.json()).toMatchObject({ twoFactorRedirect: true });
    expect(b.hasCookie("two_factor")).toBe(true);
    return b;
  }

  it("after 5 wrong codes the pending sign-in ends, even from 5 addresses: the password is needed again", async () => {
    const { email, code } = await withTwoFactor();
    const b = await passwordStep(email);
    for (let i = 0; i < 5; i++) {
      b.ip = nextIp();
      expect((await b.auth("/two-factor/verify-totp", { code: "000000" })).status).toBe(401);
    }
    b.ip = nextIp();
    const right = await b.auth("/two-factor/verify-totp", { code: await code() });
    expect(right.status).toBe(400);
    expect(((await right.json()) as { code: string }).code).toBe("TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE");
    expect(b.hasCookie("two_factor")).toBe(false);
    expect(b.hasCookie("session_token")).toBe(false);
    // Signing in again with the password starts a new pending sign-in that the right code completes.
    const again = await passwordStep(email);
    expect((await again.auth("/two-factor/verify-totp", { code: await code() })).status).toBe(200);
    expect(again.hasCookie("session_token")).toBe(true);
  });

  it("codes are limited per pending user: fresh sign-ins from new addresses do not reset the count", async () => {
    const { email, code } = await withTwoFactor();
    // An attacker who knows the password opens several pending sign-ins, each from a new address…
    const pending = [];
    for (let i = 0; i < 4; i++) pending.push(await passwordStep(email));
    process.env.AUTH_RATE_LIMIT_MAX = "3";
    resetEnvCache();
    // …and spreads the guesses over them: the count follows the user, not the sign-in or the address.
    for (const b of pending.slice(0, 3)) {
      expect((await b.auth("/two-factor/verify-totp", { code: "000000" })).status).toBe(401);
    }
    const last = pending[3]!;
    const res = await last.auth("/two-factor/verify-backup-code", { code: "abcde-fghij" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const right = await last.auth("/two-factor/verify-totp", { code: await code() });
    expect(right.status).toBe(429);
    expect(last.hasCookie("session_token")).toBe(false);
  });
});

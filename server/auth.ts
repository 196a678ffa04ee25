import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { twoFactor } from "better-auth/plugins";
import { eq } from "drizzle-orm";
import { appUrl, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { consume, type LimitRule, rateLimitHeaders } from "@/lib/ratelimit";
import { authSecret } from "@/lib/secrets";
import { originPolicyFromEnv, trustedOrigins } from "@/lib/security-headers";
import { oidcPlugins } from "./auth-oidc";
import { passkeyPlugins } from "./auth-passkey";
import { signInMethodForPath } from "./auth-providers";
import { socialPlugins, socialProvidersFromEnv } from "./auth-social";
import type { Db } from "./db";
import { accounts, passkeys, sessions, twoFactors, users, verifications } from "./db/schema";
import { RateLimitError } from "./errors";
import { clientIp } from "./request-info";
import { logActivity, recordFailedSignIn } from "./services/activity";
import {
  RESET_TTL_MINUTES,
  safeCallbackPath,
  sendPasswordResetEmail,
  sendSignUpAttemptEmail,
  sendVerificationEmail,
  VERIFICATION_TTL_HOURS,
} from "./services/auth-email";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from "./services/password-policy";
import { hasPendingInvitation } from "./services/workspaces/invitations";
import { autoJoinByDomain, ssoWorkspaceRefusingPassword } from "./services/workspaces/sso";

/** Where a new password arrives, by path: it must not be one of the most common ones. */
const NEW_PASSWORD_FIELD: Record<string, "password" | "newPassword"> = {
  "/sign-up/email": "password",
  "/change-password": "newPassword",
  "/reset-password": "newPassword",
};
const TWO_FACTOR_PATHS = new Set(["/two-factor/verify-totp", "/two-factor/verify-backup-code"]);
/** Paths after which a new session means someone signed in (with 2FA, the code step completes it). */
const SIGN_IN_PATHS = new Set([
  "/sign-in/email",
  "/two-factor/verify-totp",
  "/two-factor/verify-backup-code",
  "/passkey/verify-authentication",
]);
/** Sign-in attempts whose refusal is recorded as a failed sign-in. */
const FAILED_SIGN_IN_PATHS = new Set(["/sign-in/email", "/passkey/verify-authentication"]);
/** Security-relevant account changes recorded in the activity log. */
const AUDITED_PATHS: Record<string, string> = {
  "/change-password": "user.password_changed",
  "/revoke-sessions": "user.signed_out_everywhere",
  "/revoke-other-sessions": "user.signed_out_other_sessions",
  "/two-factor/enable": "user.two_factor_enabling",
  "/two-factor/disable": "user.two_factor_disabled",
  "/passkey/verify-registration": "user.passkey_added",
  "/passkey/delete-passkey": "user.passkey_removed",
};

/** Idle timeout: a session unused this long expires (each use within a day pushes it out again). */
export const SESSION_IDLE_SECONDS = 60 * 60 * 24 * 7;
/** Absolute lifetime: however active, a session ends this long after sign-in (checked in server/session.ts). */
export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 30;

/**
 * The limits one request spends, by path: per client address always; sign-in per account *and*
 * address (so nobody can lock the owner out from elsewhere) with a slower per-account backstop;
 * two-factor codes per pending sign-in's user; the mail-sending endpoints per address.
 */
function limitsFor(
  path: string,
  p: { ip: string; email: string; pendingUserId: string | null },
): Array<{ rule: LimitRule; key: string }> {
  const e = env();
  const window = e.AUTH_RATE_LIMIT_WINDOW_SECONDS;
  /** One limit, or none when there is nothing to key it on. */
  const limit = (name: string, points: number, durationSeconds: number, key: string | null) =>
    key ? [{ rule: { name, points, durationSeconds }, key }] : [];
  const perIp = (name: string) => limit(`${name}-ip`, e.AUTH_RATE_LIMIT_IP_MAX, window, p.ip);
  switch (path) {
    case "/sign-in/email":
      return [
        ...perIp("auth-sign-in"),
        ...limit("auth-sign-in-account-ip", e.AUTH_RATE_LIMIT_MAX, window, p.email && `${p.email}|${p.ip}`),
        ...limit("auth-sign-in-account-hourly", e.AUTH_RATE_LIMIT_ACCOUNT_HOURLY_MAX, 3600, p.email),
      ];
    case "/sign-up/email":
      return [
        ...perIp("auth-sign-up"),
        ...limit("auth-sign-up-account", e.AUTH_RATE_LIMIT_MAX, window, p.email),
      ];
    case "/two-factor/verify-totp":
    case "/two-factor/verify-backup-code":
      return [
        ...perIp("auth-sign-in"),
        ...limit("auth-two-factor-user", e.AUTH_RATE_LIMIT_MAX, window, p.pendingUserId),
      ];
    // A passkey sign-in names no account until it is verified: per address only. Asking for a
    // challenge (which stores one) has its own allowance, as the sign-in page may ask on every visit.
    case "/passkey/generate-authenticate-options":
      return perIp("auth-passkey-options");
    case "/passkey/verify-authentication":
      return perIp("auth-sign-in");
    case "/request-password-reset":
      return [...perIp("auth-reset"), ...limit("auth-reset-address", 5, 3600, p.email)];
    case "/reset-password":
      return perIp("auth-reset");
    case "/send-verification-email":
      return [...perIp("auth-verify"), ...limit("auth-verify-address", 5, 3600, p.email)];
    default:
      return [];
  }
}

const SIGN_UP_REFUSED = {
  invite:
    "Sign-up on this server is by invitation only: use the address your invitation was sent to, or ask a workspace admin to invite you.",
  closed: "Sign-up is closed on this server. Ask its operator for an account.",
};

/**
 * better-auth on our own tables: its user/session/account/verification models are `users`,
 * `sessions`, `accounts` and `verifications` (one copy of each), with UUID keys from Postgres.
 * `sendVerificationOnSignUp: false` is for the CLI, whose operator vouches for addresses instead.
 */
export function createAuth(db: Db, opts: { sendVerificationOnSignUp?: boolean } = {}) {
  return betterAuth({
    appName: "Organic",
    secret: authSecret(),
    // Fixed, never taken from a request: links better-auth puts in emails must not follow a forged
    // Host. Without APP_URL it is http://HOST:PORT, so cookies are not Secure and sign-in also works
    // over plain http on a LAN address; set an https APP_URL in production.
    baseURL: appUrl(),
    // The same rule as proxy.ts's CSRF check: APP_URL's origin when set, else the address the browser
    // used (npm start listens on 0.0.0.0, which no browser sends as its Origin).
    trustedOrigins: (request) => (request ? trustedOrigins(request.headers, originPolicyFromEnv()) : []),
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { users, sessions, accounts, verifications, twoFactor: twoFactors, passkey: passkeys },
    }),
    user: { modelName: "users", fields: { image: "avatarUrl" } },
    session: {
      modelName: "sessions",
      additionalFields: { signInMethod: { type: "string", required: false, input: false } },
      expiresIn: SESSION_IDLE_SECONDS,
      updateAge: 60 * 60 * 24,
      cookieCache: { enabled: false },
    },
    account: {
      modelName: "accounts",
      // Provider access and refresh tokens are stored encrypted (with the auth secret).
      encryptOAuthTokens: true,
      // A provider identity joins an existing account only when the provider vouches for the very
      // address the account has (no trusted providers, no other addresses) and the account's own
      // address is verified. Unlinking is governed by socialPlugins: while another way in remains.
      accountLinking: {
        enabled: true,
        trustedProviders: [],
        allowDifferentEmails: false,
        requireLocalEmailVerified: true,
        allowUnlinkingAll: true,
      },
    },
    verification: { modelName: "verifications" },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      // Sign-up starts no session: an existing address then gets the very same answer as a new one
      // (better-auth's enumeration protection) and its owner a mail; the sign-up form signs in next.
      autoSignIn: false,
      onExistingUserSignUp: async ({ user }) => {
        // One notice per address per hour, however often someone tries.
        const fresh = await consume(
          { name: "auth-sign-up-notice", points: 1, durationSeconds: 3600 },
          user.email,
        )
          .then(() => true)
          .catch((err) => {
            if (err instanceof RateLimitError) return false;
            throw err;
          });
        if (fresh) await sendSignUpAttemptEmail(db, { email: user.email, name: user.name || null });
      },
      sendResetPassword: async ({ user, token }) => {
        await sendPasswordResetEmail(db, { email: user.email, name: user.name || null, token });
      },
      resetPasswordTokenExpiresIn: RESET_TTL_MINUTES * 60,
      revokeSessionsOnPasswordReset: true,
      onPasswordReset: async ({ user }, request) => {
        // The reset link reached this mailbox: that proves the address as well as a verification.
        await db.update(users).set({ emailVerified: true }).where(eq(users.id, user.id));
        const headers = request?.headers ?? new Headers();
        await logActivity(db, {
          workspaceId: null,
          userId: user.id,
          action: "user.password_reset",
          entityType: "user",
          entityId: user.id,
          ip: clientIp(headers),
          userAgent: headers.get("user-agent"),
        }).catch((err) => logger.warn({ err }, "could not record a password reset"));
      },
    },
    // Verification is not needed to sign in (a first run must stay usable without a mail server);
    // it is needed to accept an invitation (services/workspaces/invitations.ts).
    emailVerification: {
      sendOnSignUp: opts.sendVerificationOnSignUp ?? true,
      autoSignInAfterVerification: false,
      expiresIn: VERIFICATION_TTL_HOURS * 3600,
      afterEmailVerification: (user) => autoJoin(db, user.id),
      sendVerificationEmail: async ({ user, url, token }) => {
        const callback = new URL(url, "http://x").searchParams.get("callbackURL");
        await sendVerificationEmail(db, {
          email: user.email,
          name: user.name || null,
          token,
          callbackPath: safeCallbackPath(callback === "/" ? null : callback, "/email-verified"),
        });
      },
    },
    advanced: {
      database: { generateId: "uuid" },
      cookiePrefix: "organic",
      ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] },
    },
    // Our own limiter (lib/ratelimit: Redis in scale-out, memory embedded) covers sign-in, sign-up,
    // two-factor codes and the mail-sending endpoints (limitsFor above); better-auth's built-in one
    // stays off so there is one source of truth. (The two-factor plugin's own per-challenge and
    // per-account lockouts stay on beneath it.)
    rateLimit: { enabled: false },
    databaseHooks: {
      user: {
        create: {
          // SIGNUP governs every way an account can be created from a request: the email form (checked
          // in the before hook, with its own answer) and social or SSO sign-in creating a new user here.
          // No request (the CLI's create-user) is always allowed.
          before: async (user, ctx) => {
            if (!ctx?.request || ctx.path === "/sign-up/email") return;
            const mode = env().SIGNUP;
            if (mode === "open") return;
            if (mode === "invite" && (await hasPendingInvitation(db, user.email.toLowerCase()))) return;
            throw new APIError("FORBIDDEN", { message: SIGN_UP_REFUSED[mode], code: "SIGN_UP_NOT_ALLOWED" });
          },
        },
      },
      session: {
        create: {
          before: async (session, ctx) => ({
            data: { ...session, signInMethod: signInMethodForPath(ctx?.path, ctx?.params) },
          }),
          after: (session) => autoJoin(db, session.userId),
        },
      },
    },
    // A provider redirect that cannot be tied to a sign-in (a lost state cookie) lands on the sign-in
    // page with its ?error= code, not on better-auth's own error page.
    onAPIError: { errorURL: "/sign-in" },
    telemetry: { enabled: false },
    socialProviders: socialProvidersFromEnv(),
    plugins: [
      twoFactor({ issuer: "Organic" }),
      ...oidcPlugins(db),
      ...passkeyPlugins(),
      ...socialPlugins(db),
    ],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const ip = clientIp(ctx.headers ?? new Headers()) ?? "unknown";
        const email = typeof ctx.body?.email === "string" ? ctx.body.email.trim().toLowerCase() : "";
        // The pending sign-in's user, from the signed two-factor cookie (it names a verification row).
        let pendingUserId: string | null = null;
        if (TWO_FACTOR_PATHS.has(ctx.path)) {
          const cookie = ctx.context.createAuthCookie("two_factor");
          const id = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
          if (id)
            pendingUserId = (await ctx.context.internalAdapter.findVerificationValue(id))?.value ?? null;
        }
        try {
          for (const { rule, key } of limitsFor(ctx.path, { ip, email, pendingUserId }))
            await consume(rule, key);
        } catch (err) {
          if (err instanceof RateLimitError) {
            throw new APIError(
              "TOO_MANY_REQUESTS",
              { message: `Too many attempts. Try again in ${err.retryAfterSeconds} seconds.` },
              rateLimitHeaders(err),
            );
          }
          throw err;
        }

        const ssoRefusal = ctx.path === "/sign-in/email" && (await ssoWorkspaceRefusingPassword(db, email));
        if (ssoRefusal) throw new APIError("FORBIDDEN", { message: ssoRefusal, code: "SSO_REQUIRED" });

        // The SIGNUP switch governs the web form only: `npm run cli -- create-user` (no request) works.
        if (ctx.path === "/sign-up/email" && ctx.request) {
          const mode = env().SIGNUP;
          if (
            mode === "closed" ||
            (mode === "invite" && !(email && (await hasPendingInvitation(db, email))))
          ) {
            throw new APIError("FORBIDDEN", { message: SIGN_UP_REFUSED[mode], code: "SIGN_UP_NOT_ALLOWED" });
          }
        }
        const field = NEW_PASSWORD_FIELD[ctx.path];
        const password = field ? ctx.body?.[field] : undefined;
        if (typeof password === "string" && (await isCommonPassword(password))) {
          throw new APIError("BAD_REQUEST", {
            message: COMMON_PASSWORD_MESSAGE,
            code: "PASSWORD_TOO_COMMON",
          });
        }
        // A new password ends every other session, whatever the client asked for.
        if (ctx.path === "/change-password" && ctx.body && typeof ctx.body === "object") {
          return { context: { ...ctx, body: { ...ctx.body, revokeOtherSessions: true } } };
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const headers = ctx.headers ?? new Headers();
        const audited = AUDITED_PATHS[ctx.path];
        const actorId = ctx.context.session?.user.id;
        if (audited && actorId && !(ctx.context.returned instanceof APIError)) {
          await logActivity(db, {
            workspaceId: null,
            userId: actorId,
            action: audited,
            entityType: "user",
            entityId: actorId,
            ip: clientIp(headers),
            userAgent: headers.get("user-agent"),
          }).catch((err) => logger.warn({ err }, "could not record account activity"));
        }
        const refused = ctx.context.returned;
        if (FAILED_SIGN_IN_PATHS.has(ctx.path) && refused instanceof APIError) {
          await recordFailedSignIn(db, {
            email: typeof ctx.body?.email === "string" ? ctx.body.email : null,
            ip: clientIp(headers),
            userAgent: headers.get("user-agent"),
            reason: refused.body?.code ?? refused.message ?? String(refused.status),
          }).catch((err) => logger.warn({ err }, "could not record a failed sign-in"));
        }
        // Sign-up starts no session; a real new user (not the look-alike answer for an existing
        // address) is one whose id is in the table.
        const returnedUser = (ctx.context.returned as { user?: { id?: unknown } } | undefined)?.user;
        if (ctx.path === "/sign-up/email" && typeof returnedUser?.id === "string") {
          const [created] = await db
            .select({ id: users.id })
            .from(users)
            .where(eq(users.id, returnedUser.id));
          if (created) {
            await logActivity(db, {
              workspaceId: null,
              userId: created.id,
              action: "user.signed_up",
              entityType: "user",
              entityId: created.id,
              ip: clientIp(headers),
              userAgent: headers.get("user-agent"),
            }).catch((err) => logger.warn({ err }, "could not record a sign-up"));
          }
        }
        const session = ctx.context.newSession;
        if (!session || !SIGN_IN_PATHS.has(ctx.path)) return;
        await logActivity(db, {
          workspaceId: null,
          userId: session.user.id,
          action: "user.signed_in",
          entityType: "user",
          entityId: session.user.id,
          ip: clientIp(headers),
          userAgent: headers.get("user-agent"),
        }).catch((err) => logger.warn({ err }, "could not record sign-in activity"));
      }),
    },
  });
}

/** A verified address at a workspace's auto-join domain joins it (services/workspaces/sso.ts). */
async function autoJoin(db: Db, userId: string) {
  await autoJoinByDomain(db, userId).catch((err) => logger.warn({ err }, "could not auto-join by domain"));
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

const g = globalThis as unknown as { organicAuth?: Promise<Auth> };

/** The app's better-auth instance, bound to the process-wide database. */
export function getAuth(): Promise<Auth> {
  if (!g.organicAuth) {
    g.organicAuth = import("./db").then(async ({ getDb }) => createAuth(await getDb()));
    g.organicAuth.catch(() => {
      g.organicAuth = undefined;
    });
  }
  return g.organicAuth;
}

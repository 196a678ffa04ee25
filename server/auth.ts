import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { twoFactor } from "better-auth/plugins";
import { appUrl, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { consume, rateLimitHeaders } from "@/lib/ratelimit";
import { authSecret } from "@/lib/secrets";
import { originPolicyFromEnv, trustedOrigins } from "@/lib/security-headers";
import type { Db } from "./db";
import { accounts, sessions, twoFactors, users, verifications } from "./db/schema";
import { RateLimitError } from "./errors";
import { clientIp } from "./request-info";
import { logActivity, recordFailedSignIn } from "./services/activity";

const RATE_LIMITED_PATHS = new Set([
  "/sign-in/email",
  "/sign-up/email",
  "/two-factor/verify-totp",
  "/two-factor/verify-backup-code",
]);
/** Paths after which a new session means someone signed in (with 2FA, the code step completes it). */
const SIGN_IN_PATHS = new Set([
  "/sign-in/email",
  "/sign-up/email",
  "/two-factor/verify-totp",
  "/two-factor/verify-backup-code",
]);
/** Security-relevant account changes recorded in the activity log. */
const AUDITED_PATHS: Record<string, string> = {
  "/change-password": "user.password_changed",
  "/revoke-sessions": "user.signed_out_everywhere",
  "/revoke-other-sessions": "user.signed_out_other_sessions",
  "/two-factor/enable": "user.two_factor_enabling",
  "/two-factor/disable": "user.two_factor_disabled",
};

/** Idle timeout: a session unused this long expires (each use within a day pushes it out again). */
export const SESSION_IDLE_SECONDS = 60 * 60 * 24 * 7;
/** Absolute lifetime: however active, a session ends this long after sign-in (checked in server/session.ts). */
export const SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 30;

/**
 * better-auth on our own tables: its user/session/account/verification models are `users`,
 * `sessions`, `accounts` and `verifications` (one copy of each), with UUID keys from Postgres.
 */
export function createAuth(db: Db) {
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
      schema: { users, sessions, accounts, verifications, twoFactor: twoFactors },
    }),
    user: { modelName: "users", fields: { image: "avatarUrl" } },
    session: {
      modelName: "sessions",
      expiresIn: SESSION_IDLE_SECONDS,
      updateAge: 60 * 60 * 24,
      cookieCache: { enabled: false },
    },
    account: { modelName: "accounts" },
    verification: { modelName: "verifications" },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
    },
    advanced: {
      database: { generateId: "uuid" },
      cookiePrefix: "organic",
      ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] },
    },
    // Our own limiter (lib/ratelimit: Redis in scale-out, memory embedded) covers sign-in and sign-up
    // per IP and per account; better-auth's built-in one stays off so there is one source of truth.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [twoFactor({ issuer: "Organic" })],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        // A new password ends every other session, whatever the client asked for.
        if (ctx.path === "/change-password" && ctx.body && typeof ctx.body === "object") {
          return { context: { ...ctx, body: { ...ctx.body, revokeOtherSessions: true } } };
        }
        if (!RATE_LIMITED_PATHS.has(ctx.path)) return;
        const ip = clientIp(ctx.headers ?? new Headers()) ?? "unknown";
        const email = typeof ctx.body?.email === "string" ? ctx.body.email.trim().toLowerCase() : "";
        const name = ctx.path === "/sign-up/email" ? "auth-sign-up" : "auth-sign-in";
        const durationSeconds = env().AUTH_RATE_LIMIT_WINDOW_SECONDS;
        try {
          await consume({ name: `${name}-ip`, points: env().AUTH_RATE_LIMIT_IP_MAX, durationSeconds }, ip);
          if (email)
            await consume(
              { name: `${name}-account`, points: env().AUTH_RATE_LIMIT_MAX, durationSeconds },
              email,
            );
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
        if (ctx.path === "/sign-in/email" && refused instanceof APIError) {
          await recordFailedSignIn(db, {
            email: typeof ctx.body?.email === "string" ? ctx.body.email : null,
            ip: clientIp(headers),
            userAgent: headers.get("user-agent"),
            reason: refused.body?.code ?? refused.message ?? String(refused.status),
          }).catch((err) => logger.warn({ err }, "could not record a failed sign-in"));
        }
        const session = ctx.context.newSession;
        if (!session || !SIGN_IN_PATHS.has(ctx.path)) return;
        await logActivity(db, {
          workspaceId: null,
          userId: session.user.id,
          action: ctx.path === "/sign-up/email" ? "user.signed_up" : "user.signed_in",
          entityType: "user",
          entityId: session.user.id,
          ip: clientIp(headers),
          userAgent: headers.get("user-agent"),
        }).catch((err) => logger.warn({ err }, "could not record sign-in activity"));
      }),
    },
  });
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

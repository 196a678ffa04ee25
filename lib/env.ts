import path from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url().optional(),
  // A direct (or session-pooled) URL of the same database, for work that holds session state across
  // transactions (the CSV import's staging). Set it when DATABASE_URL is PgBouncer in transaction pooling.
  DATABASE_SESSION_URL: z.url().optional(),
  REDIS_URL: z.url().optional(),
  DATA_DIR: z.string().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("localhost"),
  APP_URL: z.url().optional(),
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SMTP_URL: z.string().optional(),
  // `true` lets a workspace's own SMTP server (Settings → Sending) be on a loopback/private address.
  SMTP_ALLOW_PRIVATE: z.stringbool().default(false),
  EMAIL_FROM: z.string().default("Organic <no-reply@localhost>"),
  AUTH_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(10),
  AUTH_RATE_LIMIT_IP_MAX: z.coerce.number().int().min(1).default(30),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  // Sign-in attempts per account per hour from all addresses together: the backstop behind the
  // per-account-and-address limit above (which alone could not lock the owner out from elsewhere).
  AUTH_RATE_LIMIT_ACCOUNT_HOURLY_MAX: z.coerce.number().int().min(1).default(100),
  // Who may create an account on the web: anyone, only invited addresses, or nobody (CLI only).
  SIGNUP: z.enum(["open", "invite", "closed"], { error: "must be open, invite or closed" }).default("open"),
  // Days the outbox keeps a message (the cleanup job deletes older ones).
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // REST API /api/v1: requests per key per minute, and the browser origins allowed by CORS (comma list).
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  API_CORS_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim().replace(/\/$/, "").toLowerCase())
        .filter(Boolean),
    ),
  // Per IP per minute on tRPC, live-update (SSE) connects, uploads and /api/health; 429 past it.
  HTTP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  // Live-update streams one user may hold open at once (all tabs and devices, all web processes).
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).default(10),
  // AI writer: any OpenAI-compatible endpoint; with neither a key nor a base URL, the offline writer.
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().optional(),
  // A workspace's own AI base URL may reach loopback/private addresses (Ollama, vLLM on the operator's
  // network) only when set. Off by default (SSRF). OPENAI_BASE_URL itself is the operator's and trusted.
  AI_ALLOW_PRIVATE: z.stringbool().default(false),
  CONTENT_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(250).default(5000),
  // Tuning knobs read by one module each (README's env table; compose passes them all). Tests
  // shrink the waits; operators rarely touch them.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  /**
   * The publish path's hot statements as named prepared statements (parsed and planned once per
   * connection). Off by choice, or by itself at the first refusal of a pooler that cannot keep them.
   */
  DATABASE_PREPARED_STATEMENTS: z.stringbool().default(true),
  SSE_PING_MS: z.coerce.number().positive().default(25_000),
  CONTENT_STALE_CLAIM_MS: z.coerce
    .number()
    .positive()
    .default(10 * 60_000),
  /** How long a publish sleeps through a platform's processing before giving its worker slot back. */
  CONTENT_PUBLISH_HOLD_MS: z.coerce.number().min(0).default(10_000),
  ANALYTICS_LIVE_DELAY_MS: z.coerce.number().min(0).default(1500),
  LEADS_IMPORT_MAX_MB: z.coerce.number().positive().default(200),
  LEADS_IMPORT_MERGE_CONNECTIONS: z.coerce.number().int().min(1).default(2),
  LEADS_IMPORT_MERGE_CHUNK_ROWS: z.coerce.number().int().positive().optional(),
  EMAIL_SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10),
  EMAIL_SEND_BATCH_SIZE: z.coerce.number().positive().default(100),
  EMAIL_SEND_CONCURRENCY: z.coerce.number().positive().default(20),
  EMAIL_STALE_CLAIM_MS: z.coerce.number().positive().default(20_000),
  EMAIL_CLAIM_HEARTBEAT_MS: z.coerce.number().positive().default(5000),
  EMAIL_CAMPAIGN_RECHECK_MS: z.coerce.number().positive().default(500),
  /** Unset: the email queue's own backoff. */
  EMAIL_RETRY_BASE_MS: z.coerce.number().positive().optional(),
  EMAIL_SEND_UNRECORDED_MAX: z.coerce.number().positive().default(40),
  EMAIL_SEND_RECORD_FLUSH_MS: z.coerce.number().positive().default(20),
  // Files (imports, rejected rows, media): S3 when S3_BUCKET is set (any S3-compatible service), else
  // PostgreSQL when DATABASE_URL is set, else local disk under DATA_DIR/uploads. FILE_STORAGE forces
  // one (local with DATABASE_URL only when every process shares DATA_DIR, e.g. one host).
  FILE_STORAGE: z.enum(["local", "postgres", "s3"], { error: "must be local, postgres or s3" }).optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.stringbool().default(false),
  MEDIA_MAX_IMAGE_MB: z.coerce.number().positive().max(10_000).default(10),
  MEDIA_MAX_VIDEO_MB: z.coerce.number().positive().max(100_000).default(500),
  // Secrets at rest (OAuth tokens, provider keys): AES-256-GCM under this key — 32 bytes as 64 hex
  // characters or base64. Required in production; elsewhere one is generated into DATA_DIR.
  ENCRYPTION_KEY: z.string().optional(),
  // Feature flags (original spec): each switches a whole part off.
  ENABLE_TIKTOK_INTEGRATION: z.stringbool().default(true),
  ENABLE_YOUTUBE_INTEGRATION: z.stringbool().default(true),
  ENABLE_INSTAGRAM_INTEGRATION: z.stringbool().default(true),
  ENABLE_EMAIL_MARKETING: z.stringbool().default(true),
  ENABLE_BLOG_ENGINE: z.stringbool().default(true),
  ENABLE_ANALYTICS: z.stringbool().default(true),
  // Integrations: app credentials and base URLs (overridable so tests and dev use local stand-ins).
  TIKTOK_CLIENT_KEY: z.string().optional(),
  TIKTOK_CLIENT_SECRET: z.string().optional(),
  TIKTOK_API_BASE_URL: z.url().default("https://open.tiktokapis.com"),
  TIKTOK_AUTH_BASE_URL: z.url().default("https://www.tiktok.com"),
  INSTAGRAM_CLIENT_ID: z.string().optional(),
  INSTAGRAM_CLIENT_SECRET: z.string().optional(),
  INSTAGRAM_AUTH_BASE_URL: z.url().default("https://www.instagram.com"),
  INSTAGRAM_TOKEN_BASE_URL: z.url().default("https://api.instagram.com"),
  INSTAGRAM_GRAPH_BASE_URL: z.url().default("https://graph.instagram.com"),
  INSTAGRAM_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, "INSTAGRAM_API_VERSION looks like v21.0")
    .default("v21.0"),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GOOGLE_OAUTH_BASE_URL: z.url().default("https://oauth2.googleapis.com"),
  GOOGLE_AUTH_BASE_URL: z.url().default("https://accounts.google.com"),
  // YouTube Shorts share the Google app above (its own scopes: youtube.upload, youtube.readonly).
  YOUTUBE_API_BASE_URL: z.url().default("https://www.googleapis.com"),
  /** Units per day for this server's Google project (YouTube resets at midnight Pacific time). */
  YOUTUBE_DAILY_QUOTA: z.coerce.number().int().positive().default(10_000),
  GMAIL_API_BASE_URL: z.url().default("https://gmail.googleapis.com"),
  /** Messages a Gmail account may send per day before we hold sends (Workspace 2,000; consumer ~500). */
  GMAIL_DAILY_LIMIT: z.coerce.number().int().min(1).default(500),
  // Sign-in providers: each button appears only when its credentials are set. Google sign-in uses the
  // same Google app as Gmail (GOOGLE_CLIENT_ID/SECRET and the base URLs above).
  SIGN_IN_WITH_GOOGLE: z.stringbool().default(true),
  GOOGLE_USERINFO_URL: z.url().default("https://openidconnect.googleapis.com/v1/userinfo"),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  GITHUB_AUTH_BASE_URL: z.url().default("https://github.com"),
  GITHUB_API_BASE_URL: z.url().default("https://api.github.com"),
  // Generic OpenID Connect (company SSO: Clerk, Okta, Keycloak, Auth0, Authentik, Google Workspace).
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** The name on the sign-in button: "Sign in with <OIDC_NAME>". */
  OIDC_NAME: z.string().min(1).max(60).default("SSO"),
  /** WebAuthn relying-party id for passkeys; default: APP_URL's host, else the host the browser used. */
  PASSKEY_RP_ID: z.string().optional(),
  // Amazon SP-API: Login with Amazon token URL and an SP-API host overriding the region's (stand-ins, sandbox).
  // The SP-API app's Login with Amazon credentials, used by workspaces that connect without their own.
  AMAZON_LWA_CLIENT_ID: z.string().optional(),
  AMAZON_LWA_CLIENT_SECRET: z.string().optional(),
  AMAZON_APP_ID: z.string().optional(),
  AMAZON_LWA_URL: z.url().default("https://api.amazon.com/auth/o2/token"),
  AMAZON_SP_API_BASE_URL: z.url().optional(),
  // Amazon Ads (Attribution), docs/AMAZON-ATTRIBUTION.md: the same LWA app as SP-API. Each URL below
  // overrides the region's default (stand-ins, sandbox); the publisher id picks the publisher entry
  // whose Attribution tags go on links (default: a non-macro entry named Organic/Other, else the first).
  AMAZON_ADS_API_BASE_URL: z.url().optional(),
  AMAZON_ADS_TOKEN_URL: z.url().optional(),
  AMAZON_ADS_SCOPE: z.string().min(1).default("advertising::campaign_management"),
  AMAZON_ADS_PUBLISHER_ID: z.string().optional(),
  /** Days each Attribution sync asks for again (Amazon restates recent days as the 14-day window closes). */
  AMAZON_ADS_SYNC_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  // Security: trust X-Forwarded-For / X-Real-IP only behind a proxy that sets them (else spoofable).
  TRUST_PROXY: z.stringbool().default(false),
  // The production server answers /api/v1, tRPC and /api/health itself, before Next routes them
  // (server/http/api-fast-path.ts); false sends them through Next like every other request.
  API_FAST_PATH: z.stringbool().default(true),
  // Outgoing webhooks may reach loopback/private/link-local addresses (and plain http) only when set:
  // for tests and self-hosting on a private network. Off by default (SSRF).
  WEBHOOKS_ALLOW_PRIVATE: z.stringbool().default(false),
  /** Days an endpoint may fail every attempt before it is switched off. */
  WEBHOOKS_DISABLE_AFTER_DAYS: z.coerce.number().positive().default(3),
  // Amazon SES bounce webhooks (SNS): hosts an SNS SigningCertURL/SubscribeURL may have (a regex), and
  // a switch for stand-ins only that also allows plain http and private addresses there.
  SNS_CERT_HOST_PATTERN: z
    .string()
    .default("^sns\\.[a-zA-Z0-9-]{3,}\\.amazonaws\\.com(\\.cn)?$")
    .refine((v) => {
      try {
        new RegExp(v);
        return true;
      } catch {
        return false;
      }
    }, "Not a valid regular expression"),
  SNS_ALLOW_INSECURE: z.stringbool().default(false),
  // Sender-domain checks: the DNS servers asked for TXT records (comma list of host or host:port,
  // e.g. "127.0.0.1:5353"); unset = the system's resolvers.
  DNS_SERVERS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  // The SPF mechanisms the operator's mail server (SMTP_URL) needs in a sender domain's SPF record,
  // space-separated (e.g. "include:_spf.example.net ip4:203.0.113.5"); Settings → Sending advises them.
  SPF_INCLUDE: z
    .string()
    .default("")
    .transform((v) => v.split(/\s+/).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[+~?-]?(include|ip4|ip6|a|mx|exists)(:[^\s]+)?$/i,
            "SPF_INCLUDE holds SPF mechanisms like include:_spf.example.net or ip4:203.0.113.5",
          ),
      ),
    ),
  // Test emails (campaign editor → Send test) a user and a workspace may send per hour.
  EMAIL_TEST_SENDS_PER_USER_PER_HOUR: z.coerce.number().int().min(1).default(20),
  EMAIL_TEST_SENDS_PER_WORKSPACE_PER_HOUR: z.coerce.number().int().min(1).default(50),
  // Jobs (server/queue): the Redis key prefix, jobs run at once per worker, tick intervals, the
  // bound on a graceful stop, and how long processed domain events are kept.
  QUEUE_PREFIX: z.string().default("organic"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(5),
  EMAIL_SENDER_INTERVAL_MS: z.coerce.number().int().min(1).default(1000),
  EMAIL_SENDER_WINDOW_MS: z.coerce.number().int().min(1).default(5000),
  EMAIL_SENDER_PARALLELISM: z.coerce.number().int().min(1).default(4),
  CAMPAIGN_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(1).default(5000),
  // How long one minute of a campaign step's delay lasts. A minute, unless a test (the topology test)
  // shortens it so a "1 minute later" step arrives a second later.
  EMAIL_STEP_DELAY_UNIT_MS: z.coerce.number().int().min(1).max(60_000).default(60_000),
  ANALYTICS_ROLLUP_INTERVAL_MS: z.coerce.number().int().min(1).default(60_000),
  DOMAIN_EVENTS_INTERVAL_MS: z.coerce.number().int().min(100).default(1500),
  DOMAIN_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  // A worker in production refuses a Redis whose maxmemory-policy is not noeviction (it may evict
  // queued jobs); set to start anyway, e.g. on a managed Redis whose policy you cannot change.
  REDIS_ALLOW_EVICTION: z.stringbool().default(false),
  // Monitoring. Prometheus scrapes /api/metrics (and a worker's WORKER_METRICS_PORT) with
  // `Authorization: Bearer $METRICS_TOKEN`; unset token = no metrics endpoint (404).
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // OpenTelemetry traces over OTLP/HTTP to this base URL (…/v1/traces is appended); unset = off.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().optional(),
  // Error reports to Sentry or any Sentry-compatible server (GlitchTip, a relay); unset = off.
  SENTRY_DSN: z.url().optional(),
  SENTRY_ENVIRONMENT: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

/** Every variable this schema reads (docker-compose.yml must pass each one: tests/unit/compose.test.ts). */
export const ENV_VARIABLES = Object.keys(schema.shape) as (keyof Env)[];

let cached: Env | undefined;

/** Environment, validated once. A bad value stops the process with a message naming the variable. */
export function env(): Env {
  if (cached) return cached;
  // An empty variable (e.g. `DATABASE_URL=` in a compose file) means "not set".
  const defined = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Test hook: forget the cached env so a test can change process.env. */
export function resetEnvCache() {
  cached = undefined;
}

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ env().DATA_DIR ?? path.join(process.cwd(), ".data"));
}

export function appUrl(): string {
  const e = env();
  return (e.APP_URL ?? `http://${e.HOST === "0.0.0.0" ? "localhost" : e.HOST}:${e.PORT}`).replace(/\/$/, "");
}

export const isEmbeddedDb = () => !env().DATABASE_URL;
export const isRedisEnabled = () => Boolean(env().REDIS_URL);

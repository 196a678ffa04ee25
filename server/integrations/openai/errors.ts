export type OpenAIErrorKind =
  | "rate_limited"
  | "quota"
  | "auth"
  | "bad_request"
  | "server"
  | "timeout"
  | "network"
  /** The address is private or loopback and this server may not call it (AI_ALLOW_PRIVATE is off). */
  | "blocked"
  | "refused"
  | "truncated"
  | "invalid_json";

/** Kinds where asking again later can succeed. Quota, auth, bad requests and refusals cannot. */
const RETRYABLE: ReadonlySet<OpenAIErrorKind> = new Set([
  "rate_limited",
  "server",
  "timeout",
  "network",
  "truncated",
  "invalid_json",
]);

/**
 * A failure talking to an OpenAI-compatible endpoint. `message` is written for the person who will
 * read it on a failed job (it repeats a provider's words only from an OpenAI-shaped error body);
 * `providerMessage` keeps what the provider said, for logs, and is never shown.
 */
export class OpenAIError extends Error {
  readonly kind: OpenAIErrorKind;
  readonly retryable: boolean;
  readonly status: number | null;
  readonly code: string | null;
  readonly requestId: string | null;
  readonly providerMessage: string | null;

  constructor(
    kind: OpenAIErrorKind,
    message: string,
    opts: {
      status?: number | null;
      code?: string | null;
      requestId?: string | null;
      providerMessage?: string | null;
      cause?: unknown;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "OpenAIError";
    this.kind = kind;
    this.retryable = RETRYABLE.has(kind);
    this.status = opts.status ?? null;
    this.code = opts.code ?? null;
    this.requestId = opts.requestId ?? null;
    this.providerMessage = opts.providerMessage ?? null;
  }
}

export function isOpenAIError(err: unknown): err is OpenAIError {
  return err instanceof OpenAIError;
}

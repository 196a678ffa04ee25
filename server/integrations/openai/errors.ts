export type OpenAIErrorKind =
  | "rate_limited"
  | "quota"
  | "auth"
  | "bad_request"
  | "server"
  | "timeout"
  | "network"
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
 * read it on a failed job; `providerMessage` keeps what the provider said, for logs.
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

import type { z } from "zod";
import { env } from "@/lib/env";
import { BlockedAddressError, ResponseTooLargeError } from "@/server/http/guarded-fetch";
import { httpRequest, parseRetryAfter } from "../http";
import { OpenAIError } from "./errors";
import type { ChatCompletion } from "./schemas";
import { completionSchema, errorBodySchema } from "./schemas";

export { OpenAIError, type OpenAIErrorKind } from "./errors";
export type { ChatCompletion } from "./schemas";

export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_RETRY_BASE_MS = 500;
const DEFAULT_MAX_RETRY_WAIT_MS = 10_000;
/** A long blog post is a few tens of KB of JSON; anything near this is not a chat completion. */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
/** What of a provider's own error message reaches the person reading the failure. */
const PROVIDER_MESSAGE_MAX = 200;

export interface OpenAIClientOptions {
  /**
   * Defaults to OPENAI_BASE_URL, then https://api.openai.com/v1. Any other address (a workspace's
   * own) is someone else's choice: it may not reach private addresses unless AI_ALLOW_PRIVATE=true.
   */
  baseUrl?: string;
  /** Defaults to OPENAI_API_KEY. Compatible servers (Ollama, vLLM) ignore it but want it non-empty. */
  apiKey?: string;
  /** Defaults to OPENAI_MODEL, then gpt-4o-mini. */
  model?: string;
  /** Per HTTP attempt, including reading the body. */
  timeoutMs?: number;
  /** Extra attempts after a 429 rate limit, a 5xx or a network error. */
  maxRetries?: number;
  /** First backoff when the server gives no Retry-After; doubles per retry (with jitter) up to 8 s. */
  retryBaseMs?: number;
  /** Never wait longer than this between attempts, whatever Retry-After says. */
  maxRetryWaitMs?: number;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatCompletionRequest {
  messages: ChatMessage[];
  model?: string;
  temperature?: number;
  max_completion_tokens?: number;
  response_format?:
    | { type: "text" | "json_object" }
    | {
        type: "json_schema";
        json_schema: { name: string; strict: boolean; schema: Record<string, unknown>; description?: string };
      };
}

export interface JsonCompletionRequest<T> {
  messages: ChatMessage[];
  /** Name of the response format, `[a-zA-Z0-9_-]{1,64}`. */
  schemaName: string;
  /** Strict JSON schema: every property required, `additionalProperties: false`. */
  jsonSchema: Record<string, unknown>;
  /** Validates the parsed answer: servers enforce json_schema to different degrees. */
  parse: z.ZodType<T>;
  temperature?: number;
}

export interface JsonCompletion<T> {
  data: T;
  model: string;
  usage: ChatCompletion["usage"] | null;
  requestId: string | null;
}

const envValue = (name: "OPENAI_BASE_URL" | "OPENAI_API_KEY" | "OPENAI_MODEL") =>
  env()[name]?.trim() || undefined;

/** A typed chat-completions client for OpenAI and compatible servers (Ollama, vLLM, llama.cpp). */
export class OpenAIClient {
  readonly baseUrl: string;
  readonly model: string;
  /** True when the address is the operator's OPENAI_BASE_URL, which may be on a private network. */
  readonly operatorAddress: boolean;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryWaitMs: number;

  constructor(opts: OpenAIClientOptions = {}) {
    const operatorUrl = envValue("OPENAI_BASE_URL")?.replace(/\/+$/, "");
    this.baseUrl = (opts.baseUrl || operatorUrl || DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, "");
    this.operatorAddress = operatorUrl !== undefined && this.baseUrl === operatorUrl;
    this.apiKey = opts.apiKey || envValue("OPENAI_API_KEY") || "";
    this.model = opts.model || envValue("OPENAI_MODEL") || DEFAULT_OPENAI_MODEL;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = Math.max(0, opts.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.retryBaseMs = opts.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    this.maxRetryWaitMs = opts.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  }

  /** Host of the endpoint, for messages ("the AI provider at api.openai.com …"). */
  get host(): string {
    try {
      return new URL(this.baseUrl).host;
    } catch {
      return this.baseUrl;
    }
  }

  /** POST /chat/completions (non-streaming), retrying rate limits, 5xx and network errors. */
  async createChatCompletion(
    request: ChatCompletionRequest,
  ): Promise<{ completion: ChatCompletion; requestId: string | null }> {
    let url: URL;
    try {
      url = new URL(`${this.baseUrl}/chat/completions`);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
    } catch {
      throw new OpenAIError(
        "bad_request",
        `The AI provider address "${this.baseUrl}" is not a valid http(s) URL. Fix it in Integrations.`,
      );
    }
    // Guarded even for the operator's address (then with private addresses allowed): no redirect
    // is followed with the key attached, and the answer is bounded.
    const res = await httpRequest({
      provider: "openai",
      method: "POST",
      url,
      headers: { authorization: `Bearer ${this.apiKey}` },
      json: { model: this.model, ...request, stream: false },
      guarded: {
        allowPrivate: this.operatorAddress || env().AI_ALLOW_PRIVATE,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      },
      timeoutMs: this.timeoutMs,
      retries: this.maxRetries,
      backoffBaseMs: this.retryBaseMs,
      maxRetryWaitMs: this.maxRetryWaitMs,
      capRetryWait: true,
      classify: (r) => {
        if (r.status >= 200 && r.status < 300) return undefined;
        const error = this.httpError(r.status, r.text, r.headers.get("x-request-id"));
        return {
          error,
          retry: error.kind === "rate_limited" || error.kind === "server",
          retryAfterMs: parseRetryAfter(r.headers),
        };
      },
      // A timeout is not retried here: the job queue retries it later with its own backoff.
      classifyTransport: (err) => {
        const error = this.transportError(err);
        return { error, retry: error.kind === "network" };
      },
    });
    const requestId = res.headers.get("x-request-id");
    return { completion: this.parseEnvelope(res.text, requestId), requestId };
  }

  /** Asks for structured output and returns the answer parsed and validated. */
  async completeJson<T>(request: JsonCompletionRequest<T>): Promise<JsonCompletion<T>> {
    const { completion, requestId } = await this.createChatCompletion({
      messages: request.messages,
      temperature: request.temperature,
      response_format: {
        type: "json_schema",
        json_schema: { name: request.schemaName, strict: true, schema: request.jsonSchema },
      },
    });
    const choice = completion.choices[0]!;
    const ids = { requestId };
    if (choice.message.refusal) {
      throw new OpenAIError(
        "refused",
        `The AI model declined to write this: "${clip(choice.message.refusal, 300)}". Change the product or context and try again.`,
        { ...ids, providerMessage: choice.message.refusal },
      );
    }
    if (choice.finish_reason === "content_filter") {
      throw new OpenAIError(
        "refused",
        "The AI provider's content filter stopped the answer. Change the product or context and try again.",
        ids,
      );
    }
    if (choice.finish_reason === "length") {
      throw new OpenAIError(
        "truncated",
        "The AI model's answer was cut off before it finished (it hit the length limit).",
        ids,
      );
    }
    const content = choice.message.content?.trim();
    if (!content) throw new OpenAIError("invalid_json", "The AI model returned an empty answer.", ids);
    let json: unknown;
    try {
      json = JSON.parse(stripCodeFence(content));
    } catch (cause) {
      throw new OpenAIError("invalid_json", "The AI model's answer was not valid JSON.", {
        ...ids,
        providerMessage: clip(content, 300),
        cause,
      });
    }
    const parsed = request.parse.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ");
      throw new OpenAIError(
        "invalid_json",
        `The AI model's answer did not have the expected fields (${issues}).`,
        {
          ...ids,
          providerMessage: clip(content, 300),
        },
      );
    }
    return {
      data: parsed.data,
      model: completion.model ?? this.model,
      usage: completion.usage ?? null,
      requestId,
    };
  }

  private parseEnvelope(text: string, requestId: string | null): ChatCompletion {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OpenAIError(
        "invalid_json",
        `The AI provider at ${this.host} sent a response that is not JSON.`,
        {
          requestId,
          providerMessage: clip(text, 300),
        },
      );
    }
    const parsed = completionSchema.safeParse(json);
    if (!parsed.success) {
      throw new OpenAIError(
        "invalid_json",
        `The AI provider at ${this.host} sent a response that is not a chat completion.`,
        { requestId, providerMessage: clip(text, 300) },
      );
    }
    return parsed.data;
  }

  private transportError(err: unknown): OpenAIError {
    if (err instanceof BlockedAddressError) {
      return new OpenAIError(
        "blocked",
        `The AI provider address ${this.host} is on a private or loopback network, which this server does not call. Use a public address, or ask the server's operator to set AI_ALLOW_PRIVATE=true for a local model server.`,
        { cause: err },
      );
    }
    if (err instanceof ResponseTooLargeError) {
      return new OpenAIError(
        "invalid_json",
        `The AI provider at ${this.host} sent an answer larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB.`,
        { cause: err },
      );
    }
    const name = (err as { name?: string } | null)?.name;
    if (name === "TimeoutError" || name === "AbortError") {
      return new OpenAIError(
        "timeout",
        `The AI provider at ${this.host} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`,
        { cause: err },
      );
    }
    const e = err as { code?: string; cause?: { code?: string; message?: string } } | null;
    const detail =
      e?.code ?? e?.cause?.code ?? e?.cause?.message ?? (err instanceof Error ? err.message : String(err));
    return new OpenAIError(
      "network",
      `Could not reach the AI provider at ${this.host} (${detail}). Check the address in Integrations and that the server is running.`,
      { cause: err },
    );
  }

  private httpError(status: number, text: string, requestId: string | null): OpenAIError {
    const { message, type, code } = readErrorBody(text);
    const said = message ? ` It said: "${clip(message, PROVIDER_MESSAGE_MAX)}"` : "";
    const base = { status, code, requestId, providerMessage: message };
    if (status === 429) {
      if (code === "insufficient_quota" || type === "insufficient_quota") {
        return new OpenAIError(
          "quota",
          `The AI provider account at ${this.host} has run out of quota or credits. Check its plan and billing, or connect another provider in Integrations.`,
          base,
        );
      }
      return new OpenAIError(
        "rate_limited",
        `The AI provider at ${this.host} is rate-limiting requests; it will be tried again shortly.`,
        base,
      );
    }
    if (status === 401 || status === 403) {
      return new OpenAIError(
        "auth",
        `The AI provider at ${this.host} rejected the API key (HTTP ${status}). Update the key in Integrations.${said}`,
        base,
      );
    }
    if (status === 408) {
      return new OpenAIError("timeout", `The AI provider at ${this.host} timed out (HTTP 408).`, base);
    }
    if (status >= 500 || status === 409) {
      return new OpenAIError(
        "server",
        `The AI provider at ${this.host} had an error (HTTP ${status}).`,
        base,
      );
    }
    if (status >= 300 && status < 400) {
      return new OpenAIError(
        "bad_request",
        `The AI endpoint at ${this.host} answered ${status} (a redirect, which is not followed). Enter the API's final address in Integrations.`,
        base,
      );
    }
    const hint =
      status === 404
        ? ` Check the address and that the model "${this.model}" exists on this server.`
        : " Check the model and settings in Integrations.";
    return new OpenAIError(
      "bad_request",
      `The AI endpoint at ${this.host} answered ${status}.${said}${hint}`,
      base,
    );
  }
}

/** `retry-after-ms` (OpenAI's, milliseconds) wins over `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  return parseRetryAfter(headers, now) ?? null;
}

/**
 * The message, type and code of an OpenAI-shaped error body. Anything else (an HTML page, some other
 * service's JSON) yields nothing: its text is never repeated, so the endpoint cannot be used to read
 * whatever answers at an address.
 */
function readErrorBody(text: string): { message: string | null; type: string | null; code: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: null, type: null, code: null };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return { message: null, type: null, code: null };
  const e = parsed.data.error;
  return {
    message: e.message.trim() ? clip(e.message.trim(), PROVIDER_MESSAGE_MAX) : null,
    type: e.type ?? null,
    code: e.code == null ? null : String(e.code),
  };
}

/** Some compatible servers wrap JSON in a Markdown code fence despite the response format. */
function stripCodeFence(text: string): string {
  const m = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text);
  return m ? m[1]! : text;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

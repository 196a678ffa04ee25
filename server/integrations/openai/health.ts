import { env } from "@/lib/env";
import { HEALTH_TIMEOUT_MS, healthFailure, type IntegrationHealth } from "../health";
import { httpRequest } from "../http";
import { DEFAULT_OPENAI_BASE_URL } from "./client";

/** The operator's endpoint lists its models: up, and the key (if any) accepted. */
export async function openaiHealth(): Promise<IntegrationHealth> {
  const e = env();
  if (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) return "not_configured";
  const base = (e.OPENAI_BASE_URL ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, "");
  try {
    await httpRequest({
      provider: "openai",
      url: `${base}/models`,
      headers: { authorization: `Bearer ${e.OPENAI_API_KEY ?? "not-needed"}` },
      secrets: [e.OPENAI_API_KEY],
      timeoutMs: HEALTH_TIMEOUT_MS,
      retries: 0,
    });
    return "ok";
  } catch (err) {
    return healthFailure(err);
  }
}

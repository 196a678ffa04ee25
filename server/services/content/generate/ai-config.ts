import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { DEFAULT_OPENAI_BASE_URL, DEFAULT_OPENAI_MODEL } from "@/server/integrations/openai/client";

export interface AiConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  source: "workspace" | "environment";
}

export const optionalText = z
  .string()
  .trim()
  .max(2000)
  .optional()
  .catch(undefined)
  .transform((v) => v || undefined);
const aiSettingsSchema = z.object({ baseUrl: optionalText, apiKey: optionalText, model: optionalText });

/** The OPENAI_* variables; tests pass their own. */
type AiEnv = Partial<Record<"OPENAI_API_KEY" | "OPENAI_BASE_URL" | "OPENAI_MODEL", string>>;
const envText = (source: AiEnv, name: keyof AiEnv) => source[name]?.trim() || undefined;

/**
 * Which OpenAI-compatible endpoint to use: the workspace's `settings.ai` over OPENAI_* env variables.
 * Null when neither names a key or an address — the offline template writer takes over.
 *
 * A workspace that sets its own address never receives the server's OPENAI_API_KEY: otherwise any
 * workspace admin could point the address at their own server and collect the key.
 */
export function resolveAiConfig(
  settings: Record<string, unknown> | null | undefined,
  source: AiEnv = env(),
): AiConfig | null {
  const ws: Partial<z.infer<typeof aiSettingsSchema>> =
    aiSettingsSchema.safeParse(settings?.ai ?? {}).data ?? {};
  const model = ws.model ?? envText(source, "OPENAI_MODEL") ?? DEFAULT_OPENAI_MODEL;
  if (ws.baseUrl || ws.apiKey) {
    return {
      baseUrl: ws.baseUrl ?? envText(source, "OPENAI_BASE_URL") ?? DEFAULT_OPENAI_BASE_URL,
      // Ollama, vLLM and friends ignore the key but want one.
      apiKey: ws.apiKey ?? "not-needed",
      model,
      source: "workspace",
    };
  }
  const baseUrl = envText(source, "OPENAI_BASE_URL");
  const apiKey = envText(source, "OPENAI_API_KEY");
  if (!baseUrl && !apiKey) return null;
  return {
    baseUrl: baseUrl ?? DEFAULT_OPENAI_BASE_URL,
    apiKey: apiKey ?? "not-needed",
    model,
    source: "environment",
  };
}

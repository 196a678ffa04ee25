import "server-only";
import { z } from "zod";
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

type Env = Record<string, string | undefined>;
const envText = (env: Env, name: string) => env[name]?.trim() || undefined;

/**
 * Which OpenAI-compatible endpoint to use: the workspace's `settings.ai` over OPENAI_* env variables.
 * Null when neither names a key or an address — the offline template writer takes over.
 *
 * A workspace that sets its own address never receives the server's OPENAI_API_KEY: otherwise any
 * workspace admin could point the address at their own server and collect the key.
 */
export function resolveAiConfig(
  settings: Record<string, unknown> | null | undefined,
  env: Env = process.env,
): AiConfig | null {
  const ws: Partial<z.infer<typeof aiSettingsSchema>> =
    aiSettingsSchema.safeParse(settings?.ai ?? {}).data ?? {};
  const model = ws.model ?? envText(env, "OPENAI_MODEL") ?? DEFAULT_OPENAI_MODEL;
  if (ws.baseUrl || ws.apiKey) {
    return {
      baseUrl: ws.baseUrl ?? envText(env, "OPENAI_BASE_URL") ?? DEFAULT_OPENAI_BASE_URL,
      // Ollama, vLLM and friends ignore the key but want one.
      apiKey: ws.apiKey ?? "not-needed",
      model,
      source: "workspace",
    };
  }
  const baseUrl = envText(env, "OPENAI_BASE_URL");
  const apiKey = envText(env, "OPENAI_API_KEY");
  if (!baseUrl && !apiKey) return null;
  return {
    baseUrl: baseUrl ?? DEFAULT_OPENAI_BASE_URL,
    apiKey: apiKey ?? "not-needed",
    model,
    source: "environment",
  };
}

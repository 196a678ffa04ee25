import "server-only";
import type { Logger } from "pino";
import { OpenAIClient } from "@/server/integrations/openai/client";
import type { GenerateContentInput } from "../schemas";
import type { AiConfig } from "./ai-config";
import { GENERATED_CONTENT_JSON_SCHEMA, type GeneratedContent, generatedContentSchema } from "./answer";
import { buildPrompt } from "./prompt";
import type { WritingSettings } from "./writing-settings";

/** One call to the configured OpenAI-compatible endpoint; its errors (OpenAIError) say whether to retry. */
export async function writeWithProvider(
  ai: AiConfig,
  input: GenerateContentInput,
  settings: WritingSettings,
  log: Logger,
): Promise<{ generated: GeneratedContent; model: string }> {
  const client = new OpenAIClient({
    baseUrl: ai.baseUrl,
    apiKey: ai.apiKey,
    model: ai.model,
    // Long blog posts take a while to write.
    timeoutMs: { short: 30_000, medium: 60_000, long: 120_000 }[input.length],
  });
  const answer = await client.completeJson({
    messages: buildPrompt(input, settings).messages,
    schemaName: "generated_content",
    jsonSchema: GENERATED_CONTENT_JSON_SCHEMA,
    parse: generatedContentSchema,
    temperature: 0.7,
  });
  log.info({ model: answer.model, usage: answer.usage, requestId: answer.requestId }, "AI draft written");
  return { generated: answer.data, model: answer.model };
}

import { z } from "zod";

/** What an OpenAI-compatible chat-completions endpoint sends back, validated on arrival. */

export const completionSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        message: z.object({
          role: z.string().optional(),
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().optional(),
      completion_tokens: z.number().optional(),
      total_tokens: z.number().optional(),
    })
    .nullish(),
});
export type ChatCompletion = z.infer<typeof completionSchema>;

/** OpenAI's error envelope, which compatible servers (Ollama, vLLM, llama.cpp) copy on /v1. */
export const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});

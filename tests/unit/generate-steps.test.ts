import { describe, expect, it } from "vitest";
import { OFFLINE_GENERATOR, OFFLINE_NOTE } from "@/server/services/content/generate/constants";
import { generationMetadata } from "@/server/services/content/generate/persist";
import { describeFailure, GenerationError } from "@/server/services/content/generate/run";
import type { GenerateContentInput } from "@/server/services/content/schemas";

const input: GenerateContentInput = {
  platform: "tiktok",
  product: "Pocket tarot",
  contentType: "demo",
  tone: "casual",
  length: "short",
};
const generated = { title: "T", body: "B", hashtags: ["tarot"], hook: "H", callToAction: "Buy" };

describe("generate: persist", () => {
  it("records the provider's model, or the offline writer's note, with the settings and the copy", () => {
    expect(
      generationMetadata({ input, generated, generator: "openai", model: "gpt-x", runId: "r1" }),
    ).toEqual({
      ai_generated: true,
      generator: "openai",
      model: "gpt-x",
      generation: input,
      generation_job_id: "r1",
      copy: { hook: "H", callToAction: "Buy", hashtags: ["tarot"] },
    });
    const offline = generationMetadata({
      input,
      generated,
      generator: OFFLINE_GENERATOR,
      model: null,
      runId: "r2",
    });
    expect(offline).toMatchObject({ generator: OFFLINE_GENERATOR, generator_note: OFFLINE_NOTE });
    expect(offline).not.toHaveProperty("model");
  });
});

describe("generate: run", () => {
  it("describeFailure keeps a GenerationError's message and retry policy", () => {
    expect(describeFailure(new GenerationError("Settings are not valid", false), "r1")).toEqual({
      message: "Settings are not valid",
      retryable: false,
    });
  });

  it("describeFailure hides any other error's message behind a reference, and retries it", () => {
    const d = describeFailure(new Error('relation "content" does not exist'), "run-7");
    expect(d).toEqual({
      message: "Something went wrong while saving the draft (reference: run-7).",
      retryable: true,
    });
  });
});

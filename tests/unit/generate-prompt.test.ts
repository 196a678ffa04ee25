import { describe, expect, it } from "vitest";
import {
  buildPrompt,
  composeCaption,
  EMAIL_SUBJECT_MAX,
  GENERATED_CONTENT_JSON_SCHEMA,
  generatedContentSchema,
  OFFLINE_NOTE,
  offlineDraft,
  resolveAiConfig,
  TITLE_MAX,
  toDraftInput,
  truncateWords,
} from "@/server/services/content/generate";
import {
  GENERATE_CONTENT_TYPES,
  GENERATE_LENGTHS,
  GENERATE_TONES,
  type GenerateContentInput,
  TIKTOK_CAPTION_MAX,
} from "@/server/services/content/schemas";

const settings = {
  brandVoice: "Warm, witty and never salesy. We say 'folks', never 'customers'.",
  products: [
    { name: "Moon Mug", description: "A mug that changes colour with heat", url: "", price: "" },
    {
      name: "Pocket Tarot Deck",
      description: "A 78-card deck small enough for a jeans pocket",
      url: "https://shop.example/tarot",
      price: "$24",
    },
    "Plain String Product",
    { description: "an entry without a name is ignored" },
  ],
};

const input = (over: Partial<GenerateContentInput> = {}): GenerateContentInput => ({
  platform: "tiktok",
  product: "pocket TAROT  deck",
  contentType: "tips",
  tone: "casual",
  length: "medium",
  ...over,
});

const system = (i: GenerateContentInput, s: object = settings) => buildPrompt(i, s).messages[0]!.content;
const user = (i: GenerateContentInput, s: object = settings) => buildPrompt(i, s).messages[1]!.content;

describe("buildPrompt", () => {
  it("uses the brand voice and the matching catalogue entry, whatever the case", () => {
    const prompt = buildPrompt(input({ context: "Launch week: 10% off with code MOON" }), settings);
    expect(prompt.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(prompt.product?.name).toBe("Pocket Tarot Deck");
    expect(prompt.messages[0]!.content).toContain(settings.brandVoice);
    const u = prompt.messages[1]!.content;
    expect(u).toContain("Product: Pocket Tarot Deck");
    expect(u).toContain("A 78-card deck small enough for a jeans pocket");
    expect(u).toContain("Price: $24");
    expect(u).toContain("https://shop.example/tarot");
    expect(u).toContain("Launch week: 10% off with code MOON");
    expect(u).toMatch(/tips/i);
    expect(u).toMatch(/casual/i);
  });

  it("accepts catalogue entries that are plain strings", () => {
    expect(buildPrompt(input({ product: "plain string product" }), settings).product?.name).toBe(
      "Plain String Product",
    );
  });

  it("tells the model not to invent facts about a product missing from the catalogue", () => {
    const prompt = buildPrompt(input({ product: "Mystery Gadget" }), settings);
    expect(prompt.product).toBeNull();
    expect(prompt.messages[1]!.content).toContain("Product: Mystery Gadget");
    expect(prompt.messages[1]!.content).toMatch(/not in the business's catalogue/i);
    expect(prompt.messages[0]!.content).toMatch(/never invent prices/i);
  });

  it("falls back to the tone when the workspace has no brand voice or catalogue", () => {
    const prompt = buildPrompt(input(), {});
    expect(prompt.messages[0]!.content).toMatch(/has not described a brand voice/);
    expect(prompt.product).toBeNull();
  });

  it("states each platform's limits", () => {
    expect(system(input({ platform: "tiktok" }))).toMatch(/2,200 characters INCLUDING hashtags/);
    expect(system(input({ platform: "blog" }))).toMatch(/Markdown/);
    expect(system(input({ platform: "email" }))).toMatch(/subject line.*never more than 200/);
    expect(system(input({ platform: "email" }))).toMatch(/preheader/);
    expect(user(input({ platform: "blog", length: "long" }))).toMatch(/1,500–2,000 words/);
  });
});

describe("the answer's schema", () => {
  it("is strict: every property required, nothing else allowed", () => {
    expect([...GENERATED_CONTENT_JSON_SCHEMA.required].sort()).toEqual(
      Object.keys(GENERATED_CONTENT_JSON_SCHEMA.properties).sort(),
    );
    expect(GENERATED_CONTENT_JSON_SCHEMA.additionalProperties).toBe(false);
  });

  it("rejects a missing field or an empty body", () => {
    const ok = { title: "T", body: "B", hashtags: [], hook: "H", callToAction: "C" };
    expect(generatedContentSchema.safeParse(ok).success).toBe(true);
    expect(generatedContentSchema.safeParse({ ...ok, body: "   " }).success).toBe(false);
    const { hook: _hook, ...missing } = ok;
    expect(generatedContentSchema.safeParse(missing).success).toBe(false);
  });
});

describe("post-processing", () => {
  it("trims a 3,000-character caption to 2,200 without cutting a word or hashtag", () => {
    const words = ["glow", "#skincare", "routine", "#morning", "serum", "#selfcare", "daily"];
    let text = "";
    for (let i = 0; text.length < 3000; i++) text += `${words[i % words.length]}${i % 9 === 8 ? "\n" : " "}`;
    text = text.trim();
    expect(text.length).toBeGreaterThanOrEqual(3000);
    const caption = composeCaption(text, ["#TarotTok", "tarot", "pocket tarot", "skincare"]);
    expect(caption.length).toBeLessThanOrEqual(TIKTOK_CAPTION_MAX);
    expect(caption.length).toBeGreaterThan(TIKTOK_CAPTION_MAX - 60);
    const inputTokens = new Set([...text.split(/\s+/), "#TarotTok", "#tarot", "#pockettarot"]);
    for (const token of caption.split(/\s+/)) {
      if (token.startsWith("#")) expect(inputTokens.has(token), token).toBe(true);
      else expect(inputTokens.has(token) || token.endsWith("…"), token).toBe(true);
    }
    // The hashtags line survives, and one already in the text is not repeated.
    expect(caption.endsWith("#TarotTok #tarot #pockettarot")).toBe(true);
  });

  it("leaves a caption within the limit alone, appending the hashtags", () => {
    expect(composeCaption("Short one.", ["a", "#b", "a"])).toBe("Short one.\n\n#a #b");
  });

  it("cuts text at a word boundary", () => {
    expect(truncateWords("one two three", 9)).toBe("one two…");
    expect(truncateWords("one two", 50)).toBe("one two");
  });

  it("builds each platform's draft within its limits", () => {
    const long = {
      title: `${"Very long title ".repeat(60)}`,
      body: "# Repeated title\n\nIntro paragraph.\n\n## Part\n\nText.",
      hashtags: ["#Tarot", "tarot", "pocket decks"],
      hook: "A hook that is also the excerpt.",
      callToAction: "Shop now",
    };
    const tiktok = toDraftInput(input({ platform: "tiktok" }), long);
    expect(tiktok.type).toBe("tiktok");
    expect(tiktok.title.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(tiktok.body.endsWith("#Tarot #pocketdecks")).toBe(true);

    const blog = toDraftInput(input({ platform: "blog" }), long);
    if (blog.type !== "blog") throw new Error("expected a blog draft");
    expect(blog.body.startsWith("Intro paragraph.")).toBe(true);
    expect(blog.blog.tags).toEqual(["Tarot", "pocket decks"]);
    expect(blog.blog.excerpt).toBe(long.hook);
    expect(blog.blog.seoTitle.length).toBeLessThanOrEqual(70);

    const email = toDraftInput(input({ platform: "email" }), long);
    if (email.type !== "email") throw new Error("expected an email draft");
    expect(email.title.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
    expect(email.email).toEqual({ subject: email.title, segmentId: null, preheader: long.hook });
  });
});

describe("offlineDraft", () => {
  it("is deterministic and labelled for every platform, content type, tone and length", () => {
    for (const platform of ["tiktok", "blog", "email"] as const)
      for (const contentType of GENERATE_CONTENT_TYPES)
        for (const tone of GENERATE_TONES)
          for (const length of GENERATE_LENGTHS) {
            const i = input({ platform, contentType, tone, length, context: "Spring launch" });
            const a = offlineDraft(i, settings);
            expect(offlineDraft(i, settings)).toEqual(a);
            expect(generatedContentSchema.safeParse(a).success).toBe(true);
            // The notice is the editor's (metadata), never in text that gets published.
            expect(a.body).not.toContain(OFFLINE_NOTE);
            expect(a.body).not.toMatch(/Drafted offline|Brief:/);
            expect(a.title).toContain("Pocket Tarot Deck");
            const draft = toDraftInput(i, a);
            expect(draft.type).toBe(platform);
            expect(draft.body).not.toContain(OFFLINE_NOTE);
            if (platform === "tiktok") expect(draft.body.length).toBeLessThanOrEqual(TIKTOK_CAPTION_MAX);
          }
  });

  it("writes longer drafts for longer lengths and uses the catalogue entry", () => {
    const short = offlineDraft(input({ platform: "blog", length: "short" }), settings);
    const long = offlineDraft(input({ platform: "blog", length: "long" }), settings);
    expect(long.body.length).toBeGreaterThan(short.body.length);
    expect(long.body).toContain("A 78-card deck small enough for a jeans pocket");
    expect(long.callToAction).toContain("https://shop.example/tarot");
    expect(offlineDraft(input({ tone: "professional" }), settings).hook).not.toEqual(
      offlineDraft(input({ tone: "humorous" }), settings).hook,
    );
  });
});

describe("resolveAiConfig", () => {
  it("is null when neither the workspace nor the environment names a key or an address", () => {
    expect(resolveAiConfig({}, {})).toBeNull();
    expect(resolveAiConfig({ ai: { apiKey: "  ", baseUrl: "" } }, { OPENAI_API_KEY: "" })).toBeNull();
    expect(resolveAiConfig({ ai: "nonsense" }, {})).toBeNull();
  });

  it("uses the environment with OpenAI's defaults", () => {
    expect(resolveAiConfig({}, { OPENAI_API_KEY: "sk-env" })).toEqual({
      baseUrl: "https://api.openai.com/v1",
      apiKey: "sk-env",
      model: "gpt-4o-mini",
      source: "environment",
    });
    expect(
      resolveAiConfig({}, { OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "llama3.2" }),
    ).toEqual({
      baseUrl: "http://127.0.0.1:11434/v1",
      apiKey: "not-needed",
      model: "llama3.2",
      source: "environment",
    });
  });

  it("lets the workspace override the environment, without handing the server's key to its address", () => {
    const env = { OPENAI_API_KEY: "sk-server", OPENAI_MODEL: "gpt-4o" };
    expect(resolveAiConfig({ ai: { baseUrl: "http://127.0.0.1:8000/v1" } }, env)).toEqual({
      baseUrl: "http://127.0.0.1:8000/v1",
      apiKey: "not-needed",
      model: "gpt-4o",
      source: "workspace",
    });
    expect(resolveAiConfig({ ai: { apiKey: "sk-ws", model: "gpt-4.1-mini" } }, env)).toEqual({
      baseUrl: "https://api.openai.com/v1",
      apiKey: "sk-ws",
      model: "gpt-4.1-mini",
      source: "workspace",
    });
  });
});

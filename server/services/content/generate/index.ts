import "server-only";

/**
 * AI drafts, one step per file: start (the job run) → run (the job): ai-config → prompt +
 * provider, or offline-writer → draft (each platform's limits) → persist.
 */
export { type AiConfig, resolveAiConfig } from "./ai-config";
export { GENERATED_CONTENT_JSON_SCHEMA, type GeneratedContent, generatedContentSchema } from "./answer";
export {
  EMAIL_PREHEADER_MAX,
  EMAIL_SUBJECT_MAX,
  GENERATE_CONTENT_KIND,
  OFFLINE_GENERATOR,
  OFFLINE_NOTE,
  TITLE_MAX,
} from "./constants";
export { composeCaption, toDraftInput, truncateWords } from "./draft";
export { offlineDraft } from "./offline-writer";
export { buildPrompt, type GenerationPrompt } from "./prompt";
export { GenerationError, type GenerationOutcome, runGeneration } from "./run";
export { startGeneration } from "./start";
export {
  type CatalogueProduct,
  findCatalogueProduct,
  readWritingSettings,
  type WritingSettings,
} from "./writing-settings";

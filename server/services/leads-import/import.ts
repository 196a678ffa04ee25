import "server-only";

/**
 * CSV import of leads, one step per file: upload → preview → start (the job run) → run (the job):
 * stage-file (parse + stage-row) → duplicates → rejected-rows → merge / merge-pipeline.
 * This module only gathers their public names for callers that import the whole feature.
 */
export { IMPORT_LEADS_KIND, rejectedKey, rejectedUrl, uploadKey } from "./common";
export { type ImportOptions, importLeadsFromUpload } from "./import-file";
export { IMPORT_MERGE_CHUNK_ROWS, IMPORT_MERGE_CONNECTIONS, uuidV7Prefix } from "./merge";
export { PREVIEW_ROWS, previewImport } from "./preview";
export { runImport } from "./run";
export { createImportRun, startImport } from "./start";
export { ImportFileTooLargeError, type ImportSource, importMaxBytes, saveImportUpload } from "./upload";

import "server-only";
import type { Db } from "@/server/db";
import type { JobRun } from "../../jobs";
import { succeedJobRun } from "../../jobs";
import { createDraftWithMetadata } from "../content";
import type { GenerateContentInput } from "../schemas";
import type { GeneratedContent } from "./answer";
import { OFFLINE_GENERATOR, OFFLINE_NOTE } from "./constants";
import { toDraftInput } from "./draft";

/** The run was finished meanwhile (another attempt won): nothing saved, nothing to report. */
export class RunAlreadyFinished extends Error {}

/** What a generated draft records about how it was written. */
export function generationMetadata(p: {
  input: GenerateContentInput;
  generated: GeneratedContent;
  generator: string;
  model: string | null;
  runId: string;
}): Record<string, unknown> {
  return {
    ai_generated: true,
    generator: p.generator,
    ...(p.model ? { model: p.model } : {}),
    ...(p.generator === OFFLINE_GENERATOR ? { generator_note: OFFLINE_NOTE } : {}),
    generation: { ...p.input },
    generation_job_id: p.runId,
    copy: { hook: p.generated.hook, callToAction: p.generated.callToAction, hashtags: p.generated.hashtags },
  };
}

/**
 * Saves the draft and marks the run succeeded in one transaction: a retry after a crash never makes
 * a second draft. Throws RunAlreadyFinished when the run was no longer running.
 */
export async function saveGeneratedDraft(
  db: Db,
  run: JobRun,
  p: { input: GenerateContentInput; generated: GeneratedContent; generator: string; model: string | null },
) {
  const draft = toDraftInput(p.input, p.generated);
  const metadata = generationMetadata({ ...p, runId: run.id });
  const actor = { userId: run.createdBy, ip: null, userAgent: "organic worker (AI generation)" };
  return db.transaction(async (tx) => {
    const created = await createDraftWithMetadata(
      { db: tx, actor, workspaceId: run.workspaceId },
      draft,
      metadata,
    );
    const done = await succeedJobRun(tx, run, {
      contentId: created.id,
      generator: p.generator,
      ...(p.model ? { model: p.model } : {}),
    });
    if (!done) throw new RunAlreadyFinished();
    return created;
  });
}

import "server-only";
import { z } from "zod";
import { RateLimitError, ValidationError } from "@/server/errors";
import { assertContentTypeOn } from "@/server/features";
import { enqueueGenerateContent } from "@/server/queue/jobs/generate-content";
import { record } from "../../activity";
import type { WorkspaceServiceContext } from "../../context";
import { countUnfinishedRuns, createJobRun, failJobRun } from "../../jobs";
import { type GenerateContentInput, generateContentInput } from "../schemas";
import { GENERATE_CONTENT_KIND } from "./constants";

/** A workspace may have this many generations waiting or running at once (each one costs money). */
const MAX_UNFINISHED_GENERATIONS = 10;
const UNFINISHED_WINDOW_MS = 15 * 60_000;

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(z.flattenError(error).fieldErrors)) if (v) out[k] = v as string[];
  return out;
}

/** Queues a generation: a `job_runs` row the page follows, and a job that carries only its id. */
export async function startGeneration(
  ctx: WorkspaceServiceContext,
  rawInput: GenerateContentInput,
): Promise<{ jobId: string }> {
  const parsed = generateContentInput.safeParse(rawInput);
  if (!parsed.success) {
    throw new ValidationError("Check the generation settings", fieldErrorsOf(parsed.error));
  }
  const input = parsed.data;
  assertContentTypeOn(input.platform);
  const unfinished = await countUnfinishedRuns(
    ctx.db,
    ctx.workspaceId,
    GENERATE_CONTENT_KIND,
    UNFINISHED_WINDOW_MS,
  );
  if (unfinished >= MAX_UNFINISHED_GENERATIONS) {
    throw new RateLimitError(
      30,
      `${MAX_UNFINISHED_GENERATIONS} drafts are already being written in this workspace; wait for one to finish.`,
    );
  }
  const run = await createJobRun(ctx.db, {
    workspaceId: ctx.workspaceId,
    kind: GENERATE_CONTENT_KIND,
    input,
    createdBy: ctx.actor.userId,
  });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "content.generation_started",
    { type: "job_run", id: run.id },
    { platform: input.platform, product: input.product, contentType: input.contentType },
  );
  try {
    await enqueueGenerateContent({ jobRunId: run.id, workspaceId: ctx.workspaceId });
  } catch (err) {
    await failJobRun(ctx.db, run, "The generation could not be queued. Try again in a moment.");
    throw err;
  }
  return { jobId: run.id };
}

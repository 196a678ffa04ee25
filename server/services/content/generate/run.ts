import "server-only";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "@/server/db";
import { workspaces } from "@/server/db/schema";
import { publishEvent } from "@/server/events";
import { OpenAIError } from "@/server/integrations/openai/client";
import { withWorkspaceAi } from "@/server/services/integrations/ai";
import { logActivity } from "../../activity";
import { claimJobRun, failJobRun, type JobRun, reportJobProgress, requeueJobRun } from "../../jobs";
import { notifyWorkspace } from "../../notifications";
import { parseWorkspaceSettings } from "../../workspaces/settings";
import { generateContentInput } from "../schemas";
import { resolveAiConfig } from "./ai-config";
import { GENERATE_CONTENT_KIND, OFFLINE_GENERATOR } from "./constants";
import { offlineDraft } from "./offline-writer";
import { RunAlreadyFinished, saveGeneratedDraft } from "./persist";
import { writeWithProvider } from "./provider";

/** A failure that names its own retry policy and carries a message fit to show. */
export class GenerationError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "GenerationError";
  }
}

export type GenerationOutcome =
  | { outcome: "skipped" }
  | { outcome: "succeeded"; contentId: string; generator: string }
  | { outcome: "retry"; error: string }
  | { outcome: "failed"; error: string };

export function describeFailure(err: unknown, runId: string): { message: string; retryable: boolean } {
  if (err instanceof OpenAIError || err instanceof GenerationError) {
    return { message: err.message, retryable: err.retryable };
  }
  // Anything else (a database hiccup, a draft the content rules refused) may pass on another try;
  // its internal message stays in the logs.
  return {
    message: `Something went wrong while saving the draft (reference: ${runId}).`,
    retryable: true,
  };
}

type Notice = { kind: string; title: string; body?: string; link: string };

async function notifyRequester(db: Db, run: JobRun, n: Notice) {
  // notifyWorkspace treats an empty list as "everyone": only notify when we know who asked.
  if (!run.createdBy) return;
  await notifyWorkspace(db, { workspaceId: run.workspaceId, ...n }, { onlyUserIds: [run.createdBy] });
}

async function publishFinished(run: JobRun, contentId: string, generator: string) {
  await publishEvent({
    workspaceId: run.workspaceId,
    type: "job.progress",
    data: { jobId: run.id, progress: 100, kind: run.kind },
  });
  await publishEvent({
    workspaceId: run.workspaceId,
    type: "job.finished",
    data: { jobId: run.id, kind: run.kind, status: "succeeded", contentId, generator },
  });
}

/** The job's work, once per attempt: claim the run, write, save the draft, tell the requester. */
export async function runGeneration(
  db: Db,
  p: {
    jobRunId: string;
    workspaceId: string;
    attempt: number;
    maxAttempts: number;
    log: Logger;
    reportProgress?: (progress: number) => Promise<void>;
  },
): Promise<GenerationOutcome> {
  const run = await claimJobRun(db, {
    id: p.jobRunId,
    workspaceId: p.workspaceId,
    kind: GENERATE_CONTENT_KIND,
  });
  if (!run) return { outcome: "skipped" };
  const progress = async (n: number) => {
    await reportJobProgress(db, run, n);
    await p.reportProgress?.(n);
  };
  const [ws] = await db
    .select({ slug: workspaces.slug, settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, run.workspaceId));
  if (!ws) return { outcome: "skipped" }; // deleted meanwhile (the run goes with it)

  try {
    await progress(10);
    const parsed = generateContentInput.safeParse(run.input);
    if (!parsed.success) {
      throw new GenerationError(
        "The saved generation settings are not valid; start a new generation.",
        false,
      );
    }
    const input = parsed.data;
    const settings = parseWorkspaceSettings(ws.settings, run.workspaceId).brand ?? {};
    // The workspace's own endpoint and key (the key is stored encrypted; see services/integrations/ai.ts).
    const ai = resolveAiConfig(await withWorkspaceAi(db, run.workspaceId, {}));
    await progress(40);
    const { generated, model } = ai
      ? await writeWithProvider(ai, input, settings, p.log)
      : { generated: offlineDraft(input, settings), model: null };
    await progress(90);
    const generator = ai ? "openai" : OFFLINE_GENERATOR;
    const row = await saveGeneratedDraft(db, run, { input, generated, generator, model });
    await p.reportProgress?.(100);
    await publishFinished(run, row.id, generator);
    await notifyRequester(db, run, {
      kind: "content.generated",
      title: `Draft ready: ${row.title}`.slice(0, 255),
      body: ai ? undefined : "Written by the offline template writer: edit it before publishing.",
      link: `/${ws.slug}/content/${row.id}`,
    });
    return { outcome: "succeeded", contentId: row.id, generator };
  } catch (err) {
    if (err instanceof RunAlreadyFinished) return { outcome: "skipped" };
    const { message, retryable } = describeFailure(err, run.id);
    if (retryable && p.attempt < p.maxAttempts) {
      await requeueJobRun(db, run, `${message} Trying again (attempt ${p.attempt + 1} of ${p.maxAttempts}).`);
      p.log.warn({ err, attempt: p.attempt }, "generation attempt failed; will retry");
      return { outcome: "retry", error: message };
    }
    p.log.error({ err, attempt: p.attempt }, "generation failed");
    await failJobRun(db, run, message);
    await logActivity(db, {
      workspaceId: run.workspaceId,
      userId: null,
      action: "content.generation_failed",
      entityType: "job_run",
      entityId: run.id,
      metadata: { error: message, attempts: p.attempt },
    });
    await notifyRequester(db, run, {
      kind: "content.generation_failed",
      title: "The draft could not be written",
      body: message,
      link: `/${ws.slug}/content`,
    });
    return { outcome: "failed", error: message };
  }
}

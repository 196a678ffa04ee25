import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const JOB_RUN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

/**
 * User-visible jobs (AI generation, imports): status, progress and result that the page follows over
 * SSE and the REST API exposes. The queue only carries the id.
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 50 }).notNull(),
    status: varchar("status", { length: 20 }).$type<JobRunStatus>().notNull().default("queued"),
    progress: integer("progress").notNull().default(0),
    input: jsonb("input").$type<Record<string, unknown>>().notNull().default({}),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: tstz("finished_at"),
  },
  (t) => [
    check("job_runs_status", sql`${t.status} in ('queued', 'running', 'succeeded', 'failed')`),
    check("job_runs_progress", sql`${t.progress} between 0 and 100`),
    index("idx_job_runs_workspace").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
  ],
);

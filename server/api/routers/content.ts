import "server-only";
import {
  createContent,
  deleteContent,
  duplicateContent,
  getContentOrThrow,
  listCalendar,
  listContent,
  updateContent,
} from "@/server/services/content/content";
import { startGeneration } from "@/server/services/content/generate/start";
import {
  publishContentNow,
  publishReadiness,
  retryContent,
  scheduleContent,
  unscheduleContent,
} from "@/server/services/content/lifecycle";
import { addToQueue } from "@/server/services/content/queue";
import { contentGroup, postEverywhere } from "@/server/services/content/repurpose";
import { contentGroupInput, postEverywhereInput } from "@/server/services/content/repurpose-schemas";
import {
  calendarInput,
  contentIdInput,
  createContentInput,
  generateContentInput,
  listContentInput,
  scheduleContentInput,
  updateContentInput,
} from "@/server/services/content/schemas";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

export const contentRouter = createTRPCRouter({
  list: workspaceProcedure("viewer")
    .input(listContentInput)
    .query(({ ctx, input }) => listContent(ctx.db, ctx.workspaceId, input)),
  get: workspaceProcedure("viewer")
    .input(contentIdInput)
    .query(({ ctx, input }) => getContentOrThrow(ctx.db, ctx.workspaceId, input.id)),
  calendar: workspaceProcedure("viewer")
    .input(calendarInput)
    .query(({ ctx, input }) => listCalendar(ctx.db, ctx.workspaceId, input)),
  readiness: workspaceProcedure("viewer")
    .input(contentIdInput)
    .query(({ ctx, input }) => publishReadiness(ctx.db, ctx.workspaceId, input.id)),
  create: workspaceProcedure("member")
    .input(createContentInput)
    .mutation(({ ctx, input }) => createContent(ctx.ws, input)),
  update: workspaceProcedure("member")
    .input(updateContentInput)
    .mutation(({ ctx, input }) => updateContent(ctx.ws, input)),
  delete: workspaceProcedure("member")
    .input(contentIdInput)
    .mutation(({ ctx, input }) => deleteContent(ctx.ws, input)),
  duplicate: workspaceProcedure("member")
    .input(contentIdInput)
    .mutation(({ ctx, input }) => duplicateContent(ctx.ws, input)),
  schedule: workspaceProcedure("member")
    .input(scheduleContentInput)
    .mutation(({ ctx, input }) => scheduleContent(ctx.ws, input)),
  unschedule: workspaceProcedure("member")
    .input(contentIdInput)
    .mutation(({ ctx, input }) => unscheduleContent(ctx.ws, input)),
  publishNow: workspaceProcedure("member")
    .input(contentIdInput)
    .mutation(({ ctx, input }) => publishContentNow(ctx.ws, input)),
  /** Schedules at the workspace's next free queue slot (or submits that for approval). */
  addToQueue: workspaceProcedure("member")
    .input(contentIdInput)
    .mutation(({ ctx, input }) => addToQueue(ctx.ws, input)),
  retry: workspaceProcedure("member")
    .input(contentIdInput)
    .mutation(({ ctx, input }) => retryContent(ctx.ws, input)),
  /** "Post everywhere": a linked draft of the item's video for each platform picked. */
  postEverywhere: workspaceProcedure("member")
    .input(postEverywhereInput)
    .mutation(({ ctx, input }) => postEverywhere(ctx.ws, input)),
  /** The posts of one video across platforms, each with its status and link. */
  group: workspaceProcedure("viewer")
    .input(contentGroupInput)
    .query(({ ctx, input }) => contentGroup(ctx.db, ctx.workspaceId, input.groupId)),
  generate: workspaceProcedure("member")
    .input(generateContentInput)
    .mutation(({ ctx, input }) => startGeneration(ctx.ws, input)),
});

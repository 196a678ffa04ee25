import "server-only";
import { z } from "zod";
import {
  createLink,
  deleteLink,
  linkClicksByDay,
  listLinks,
  updateLink,
} from "@/server/services/links/links";
import { createLinkInput, linkIdInput, updateLinkInput } from "@/server/services/links/schemas";
import { listLinkSteps } from "@/server/services/links/targets";
import { createTRPCRouter, workspaceProcedure } from "../trpc";

/** Tracked short links (`/l/<code>`): members make and edit them, everyone sees the clicks. */
export const linksRouter = createTRPCRouter({
  list: workspaceProcedure("viewer").query(({ ctx }) => listLinks(ctx.db, ctx.workspaceId)),
  /** Email steps a link can belong to (the link dialog). */
  steps: workspaceProcedure("viewer").query(({ ctx }) => listLinkSteps(ctx.db, ctx.workspaceId)),
  clicksByDay: workspaceProcedure("viewer")
    .input(linkIdInput.extend({ days: z.number().int().min(1).max(365).default(30) }))
    .query(({ ctx, input }) => linkClicksByDay(ctx.db, ctx.workspaceId, input.id, input.days)),
  create: workspaceProcedure("member")
    .input(createLinkInput)
    .mutation(({ ctx, input }) => createLink(ctx.ws, input)),
  update: workspaceProcedure("member")
    .input(updateLinkInput)
    .mutation(({ ctx, input }) => updateLink(ctx.ws, input)),
  delete: workspaceProcedure("member")
    .input(linkIdInput)
    .mutation(({ ctx, input }) => deleteLink(ctx.ws, input)),
});

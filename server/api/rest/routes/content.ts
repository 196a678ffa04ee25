import "server-only";
import { z } from "zod";
import { submitForApproval } from "@/server/services/approvals/approvals";
import {
  createContent,
  deleteContent,
  getContentOrThrow,
  listContent,
  updateContent,
} from "@/server/services/content/content";
import { publishContentNow } from "@/server/services/content/lifecycle";
import { addToQueue } from "@/server/services/content/queue";
import { createContentInput, listContentInput, updateContentInput } from "@/server/services/content/schemas";
import { defineRoute } from "../define";
import { contentSchema, idParams, pageOf, paginationQuery } from "../schemas";

const listQuery = listContentInput
  .pick({ type: true, status: true, search: true, sort: true, direction: true })
  .extend(paginationQuery.shape);

export const contentRoutes = [
  defineRoute({
    operationId: "content.list",
    method: "GET",
    path: "/content",
    scope: "read",
    tag: "Content",
    summary: "List content (TikTok videos, blog posts, emails)",
    query: listQuery,
    status: 200,
    response: pageOf(contentSchema),
    handler: async (ctx, { query }) => {
      const page = await listContent(ctx.db, ctx.principal.workspaceId, { ...query, offset: 0 });
      return { data: page.content, nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    operationId: "content.get",
    method: "GET",
    path: "/content/{id}",
    scope: "read",
    tag: "Content",
    summary: "Get one piece of content, with its metrics",
    params: idParams,
    status: 200,
    response: contentSchema,
    handler: (ctx, { params }) => getContentOrThrow(ctx.db, ctx.principal.workspaceId, params.id),
  }),
  defineRoute({
    operationId: "content.create",
    method: "POST",
    path: "/content",
    scope: "write",
    tag: "Content",
    summary: "Create content; with `scheduledAt` it is scheduled",
    description:
      "`type` picks the shape (`tiktok`, `blog`, `email`). Without `scheduledAt` the item is a draft; with a future `scheduledAt` (ISO 8601) it is scheduled and published then.",
    body: createContentInput,
    status: 201,
    response: contentSchema,
    example: {
      type: "blog",
      title: "Five ways to water a fern",
      body: "# Ferns\n\nThey like it damp.",
      scheduledAt: "2030-01-01T09:00:00Z",
    },
    handler: (ctx, { body }) => createContent(ctx.ws, body),
  }),
  defineRoute({
    operationId: "content.update",
    method: "PATCH",
    path: "/content/{id}",
    scope: "write",
    tag: "Content",
    summary: "Update content",
    params: idParams,
    body: updateContentInput.omit({ id: true }),
    status: 200,
    response: contentSchema,
    example: { title: "Six ways to water a fern" },
    handler: (ctx, { params, body }) => updateContent(ctx.ws, { ...body, id: params.id }),
  }),
  defineRoute({
    operationId: "content.delete",
    method: "DELETE",
    path: "/content/{id}",
    scope: "write",
    tag: "Content",
    summary: "Delete content (not while it is being published)",
    params: idParams,
    status: 204,
    handler: async (ctx, { params }) => {
      await deleteContent(ctx.ws, { id: params.id });
      return null;
    },
  }),
  defineRoute({
    operationId: "content.publish",
    method: "POST",
    path: "/content/{id}/publish",
    scope: "write",
    tag: "Content",
    summary: "Publish now",
    description:
      "A draft or scheduled item becomes due now; a worker publishes it. Answers 202 with the item.",
    params: idParams,
    body: z.object({}).optional(),
    status: 202,
    response: contentSchema,
    handler: (ctx, { params }) => publishContentNow(ctx.ws, { id: params.id }),
  }),
  defineRoute({
    operationId: "content.queue",
    method: "POST",
    path: "/content/{id}/queue",
    scope: "write",
    tag: "Content",
    summary: "Add to the posting queue",
    description:
      "Schedules the item at the workspace's next free posting slot (Settings → Posting queue; a slot is free when no other item of the workspace is scheduled then). In a workspace that requires approval, a member's key submits that time for approval instead (`submitted: true`). 400 when no slots are set up.",
    params: idParams,
    body: z.object({}).optional(),
    status: 200,
    response: z.object({
      slot: z.date(),
      submitted: z.boolean(),
      item: contentSchema,
      approval: z.looseObject({ id: z.uuid(), status: z.string() }).nullable(),
    }),
    handler: (ctx, { params }) => addToQueue(ctx.ws, { id: params.id }),
  }),
  defineRoute({
    operationId: "content.submitForApproval",
    method: "POST",
    path: "/content/{id}/approval",
    scope: "write",
    tag: "Content",
    summary: "Submit for approval",
    description:
      "In a workspace that requires approval, a member publishes (`publish`) or schedules (`schedule` with `scheduledAt`) through an admin's approval; the item stays a draft until then. 409 when no approval is needed or one is already pending.",
    params: idParams,
    body: z.object({
      action: z.enum(["publish", "schedule"]),
      scheduledAt: z.date().optional(),
    }),
    status: 201,
    response: z.looseObject({ id: z.uuid(), status: z.string(), action: z.string() }),
    example: { action: "schedule", scheduledAt: "2030-01-01T09:00:00Z" },
    handler: (ctx, { params, body }) =>
      submitForApproval(ctx.ws, { entityType: "content", entityId: params.id, ...body }),
  }),
];

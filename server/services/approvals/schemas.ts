import { z } from "zod";

/** What a member may ask for: content is published or scheduled; a campaign is sent or scheduled. */
export const submitApprovalInput = z
  .discriminatedUnion("entityType", [
    z.object({
      entityType: z.literal("content"),
      entityId: z.uuid(),
      action: z.enum(["publish", "schedule"]),
      scheduledAt: z.date().optional(),
    }),
    z.object({
      entityType: z.literal("campaign"),
      entityId: z.uuid(),
      action: z.enum(["send", "schedule"]),
      scheduledAt: z.date().optional(),
    }),
  ])
  .refine((v) => (v.action === "schedule") === (v.scheduledAt !== undefined), {
    message: "A scheduled request needs a time (and only a scheduled one)",
    path: ["scheduledAt"],
  });
export type SubmitApprovalInput = z.infer<typeof submitApprovalInput>;

export const approvalIdInput = z.object({ id: z.uuid() });

export const rejectApprovalInput = z.object({
  id: z.uuid(),
  reason: z
    .string()
    .trim()
    .min(1, "Say why, so the author can fix it")
    .max(1000, "A reason is at most 1,000 characters"),
});

export const listApprovalsInput = z.object({
  status: z.enum(["pending", "decided"]).default("pending"),
});

export const approvalForEntityInput = z.object({
  entityType: z.enum(["content", "campaign"]),
  entityId: z.uuid(),
});

export const pendingApprovalIdsInput = z.object({ entityType: z.enum(["content", "campaign"]) });

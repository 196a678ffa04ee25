import { z } from "zod";

/** What Google's OAuth token endpoint and the Gmail API send back, validated on arrival. */

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  id_token: z.string().optional(),
});
export type GoogleToken = z.infer<typeof tokenSchema>;

export const sendSchema = z.object({
  id: z.string(),
  threadId: z.string().optional(),
  labelIds: z.array(z.string()).optional(),
});

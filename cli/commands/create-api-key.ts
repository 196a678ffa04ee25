import { z } from "zod";
import { API_KEY_SCOPES } from "@/server/db/schema/workspaces";
import { createApiKeyInput } from "@/server/services/api-key-schemas";
import { systemActor } from "@/server/services/context";
import { described } from "../catalog";
import { defineCommand, getWorkspaceBySlugOrThrow, requiredFlag, withDb } from "../util";

const DAY = 86_400_000;

const scope = z.enum(API_KEY_SCOPES, {
  error: (iss) => `Unknown scope "${String(iss.input)}": use ${API_KEY_SCOPES.join(" and/or ")}`,
});

export default defineCommand({
  ...described("create-api-key"),
  options: {
    workspace: { type: "string" },
    name: { type: "string" },
    scopes: { type: "string" },
    "expires-in-days": { type: "string" },
  },
  schema: z.object({
    workspace: requiredFlag("workspace").trim().min(1, "can't be blank"),
    name: requiredFlag("name").pipe(createApiKeyInput.shape.name),
    scopes: z
      .string()
      .default("read,write")
      .transform((s) =>
        s
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(scope).min(1, "Give at least one scope")),
    "expires-in-days": z
      .string()
      .regex(/^\d+$/, "Give a whole number of days")
      .transform(Number)
      .pipe(z.number().int().min(1, "At least 1 day").max(3650, "At most 3650 days"))
      .optional(),
  }),
  async run({ workspace, name, scopes, "expires-in-days": days }) {
    return withDb(async ({ db }) => {
      const ws = await getWorkspaceBySlugOrThrow(db, workspace);
      const expiresAt = days ? new Date(Date.now() + days * DAY) : null;
      const { createApiKey } = await import("@/server/services/api-keys");
      const { apiKey, key } = await createApiKey(
        { db, actor: systemActor, workspaceId: ws.id },
        { name, scopes, expiresAt },
      );
      return {
        json: {
          id: apiKey.id,
          name: apiKey.name,
          prefix: apiKey.prefix,
          key,
          scopes: apiKey.scopes,
          expiresAt: apiKey.expiresAt?.toISOString() ?? null,
        },
        human: [
          `Created API key "${apiKey.name}" (${apiKey.prefix}…, scopes ${apiKey.scopes.join(",")}` +
            `${apiKey.expiresAt ? `, expires ${apiKey.expiresAt.toISOString()}` : ", no expiry"}) for ${ws.slug}.`,
          "Copy it now: it is stored only as a hash and will not be shown again.",
          "",
          `  ${key}`,
        ].join("\n"),
      };
    });
  },
});

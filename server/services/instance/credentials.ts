import "server-only";
import { eq, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { decryptJson, encryptJson } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { executePrepared } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import { instanceCredentials } from "@/server/db/schema";
import { ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { ServiceContext } from "../context";
import {
  CREDENTIAL_FIELDS,
  type CredentialsView,
  INSTANCE_PROVIDERS,
  type InstanceProvider,
  type UpdateCredentialsInput,
} from "./schemas";

/**
 * The app credentials of TikTok, Google, Amazon and Instagram: what an instance admin saved (sealed), else the
 * environment's. Every reader goes through `getAppCredentials`, read from the database each time, so
 * every web process and worker sees a change at once.
 */

export interface AppCredentials {
  tiktok: { clientKey: string; clientSecret: string };
  google: { clientId: string; clientSecret: string };
  amazon: { clientId: string; clientSecret: string; appId: string };
  instagram: { clientId: string; clientSecret: string };
}

type Values = Record<string, string>;

function envValues(provider: InstanceProvider): Values | null {
  const e = env() as unknown as Record<string, string | undefined>;
  const out: Values = {};
  for (const f of CREDENTIAL_FIELDS[provider].fields) {
    const v = e[f.env];
    if (!v) return null;
    out[f.key] = v;
  }
  return out;
}

async function savedValues(db: Db, provider: InstanceProvider): Promise<Values | null> {
  // Prepared (server/db/prepared.ts): every YouTube publish and Google token refresh reads it.
  const [row] = rowsOf<{ sealed: string }>(
    await executePrepared(
      db,
      sql`select ${instanceCredentials.sealed} from ${instanceCredentials}
        where ${instanceCredentials.provider} = ${provider}`,
    ),
  );
  if (!row) return null;
  try {
    return decryptJson<Values>(row.sealed);
  } catch {
    logger.warn(
      { provider },
      "saved app credentials can't be opened (ENCRYPTION_KEY changed): using the environment's",
    );
    return null;
  }
}

const complete = (provider: InstanceProvider, v: Values | null) =>
  v !== null && CREDENTIAL_FIELDS[provider].fields.every((f) => Boolean(v[f.key]));

/** The provider's app credentials (saved, else environment), or null when neither has them all. */
export async function getAppCredentials<P extends InstanceProvider>(
  db: Db,
  provider: P,
): Promise<AppCredentials[P] | null> {
  const saved = await savedValues(db, provider);
  if (complete(provider, saved)) return saved as unknown as AppCredentials[P];
  const fromEnv = envValues(provider);
  return fromEnv ? (fromEnv as unknown as AppCredentials[P]) : null;
}

export async function listAppCredentials(db: Db): Promise<CredentialsView[]> {
  return Promise.all(
    INSTANCE_PROVIDERS.map(async (provider) => {
      const saved = await savedValues(db, provider);
      const environmentSet = envValues(provider) !== null;
      const values: Values = {};
      const secretsSet: Record<string, boolean> = {};
      for (const f of CREDENTIAL_FIELDS[provider].fields) {
        if (f.secret) secretsSet[f.key] = Boolean(saved?.[f.key]);
        else values[f.key] = saved?.[f.key] ?? "";
      }
      const source = complete(provider, saved) ? "instance" : environmentSet ? "environment" : null;
      return { provider, source, values, secretsSet, environmentSet } satisfies CredentialsView;
    }),
  );
}

export async function saveAppCredentials(ctx: ServiceContext, input: UpdateCredentialsInput) {
  const spec = CREDENTIAL_FIELDS[input.provider];
  const saved = (await savedValues(ctx.db, input.provider)) ?? {};
  const next: Values = {};
  const fieldErrors: Record<string, string[]> = {};
  for (const f of spec.fields) {
    const typed = input.values[f.key]?.trim() ?? "";
    const v = typed || (f.secret ? (saved[f.key] ?? "") : "");
    if (!v) fieldErrors[f.key] = [`Enter the ${f.label.toLowerCase()}`];
    next[f.key] = v;
  }
  const unknown = Object.keys(input.values).filter((k) => !spec.fields.some((f) => f.key === k));
  if (unknown.length) throw new ValidationError(`Unknown field: ${unknown.join(", ")}`);
  if (Object.keys(fieldErrors).length)
    throw new ValidationError(Object.values(fieldErrors)[0]![0]!, fieldErrors);
  const sealed = encryptJson(next);
  await ctx.db
    .insert(instanceCredentials)
    .values({ provider: input.provider, sealed, updatedBy: ctx.actor.userId })
    .onConflictDoUpdate({
      target: instanceCredentials.provider,
      set: { sealed, updatedBy: ctx.actor.userId, updatedAt: new Date() },
    });
  await record(
    ctx.db,
    ctx.actor,
    null,
    "instance.credentials_updated",
    { type: "instance", id: null },
    {
      provider: input.provider,
    },
  );
  return (await listAppCredentials(ctx.db)).find((v) => v.provider === input.provider)!;
}

/** Forgets the saved credentials: the environment's apply again. */
export async function clearAppCredentials(ctx: ServiceContext, provider: InstanceProvider) {
  await ctx.db.delete(instanceCredentials).where(eq(instanceCredentials.provider, provider));
  await record(
    ctx.db,
    ctx.actor,
    null,
    "instance.credentials_cleared",
    { type: "instance", id: null },
    {
      provider,
    },
  );
  return (await listAppCredentials(ctx.db)).find((v) => v.provider === provider)!;
}

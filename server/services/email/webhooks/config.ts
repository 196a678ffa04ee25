import "server-only";
import { createPublicKey, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { appUrl } from "@/lib/env";
import { logger } from "@/lib/logger";
import { decryptJson, encryptJson } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { instanceCredentials } from "@/server/db/schema";
import { ValidationError } from "@/server/errors";
import { record } from "../../activity";
import type { ServiceContext } from "../../context";
import { EMAIL_WEBHOOK_PROVIDERS, type EmailWebhooksView, type SaveEmailWebhooksInput } from "./schemas";

/**
 * The instance's bounce-webhook settings: one sealed row of `instance_credentials` (these are the
 * operator's provider accounts, not a workspace's). Read from the database on every request, so
 * every web process sees a change at once.
 */
export const EMAIL_WEBHOOKS_KEY = "email-webhooks";

export interface EmailWebhooksConfig {
  postmarkUsername?: string;
  postmarkPassword?: string;
  sendgridPublicKey?: string;
  mailgunSigningKey?: string;
  sesTopicArns?: string[];
}

export async function getEmailWebhooksConfig(db: Db): Promise<EmailWebhooksConfig> {
  const [row] = await db
    .select()
    .from(instanceCredentials)
    .where(eq(instanceCredentials.provider, EMAIL_WEBHOOKS_KEY));
  if (!row) return {};
  try {
    return decryptJson<EmailWebhooksConfig>(row.sealed);
  } catch {
    logger.warn("the email webhook settings can't be opened (ENCRYPTION_KEY changed): webhooks refuse all");
    return {};
  }
}

async function writeConfig(ctx: ServiceContext, config: EmailWebhooksConfig) {
  const sealed = encryptJson(config);
  await ctx.db
    .insert(instanceCredentials)
    .values({ provider: EMAIL_WEBHOOKS_KEY, sealed, updatedBy: ctx.actor.userId })
    .onConflictDoUpdate({
      target: instanceCredentials.provider,
      set: { sealed, updatedBy: ctx.actor.userId, updatedAt: new Date() },
    });
}

export function emailWebhookUrl(provider: string): string {
  return `${appUrl()}/api/webhooks/email/${provider}`;
}

export async function viewEmailWebhooks(db: Db): Promise<EmailWebhooksView> {
  const c = await getEmailWebhooksConfig(db);
  const urls = Object.fromEntries(
    EMAIL_WEBHOOK_PROVIDERS.map((p) => [p, emailWebhookUrl(p)]),
  ) as EmailWebhooksView["urls"];
  const postmark =
    c.postmarkUsername && c.postmarkPassword
      ? { username: c.postmarkUsername, password: c.postmarkPassword }
      : null;
  let postmarkUrlWithCredentials: string | null = null;
  if (postmark) {
    const u = new URL(urls.postmark);
    u.username = postmark.username;
    u.password = postmark.password;
    postmarkUrlWithCredentials = u.toString();
  }
  return {
    urls,
    postmarkUrlWithCredentials,
    postmark,
    sendgridPublicKey: c.sendgridPublicKey ?? "",
    mailgunSigningKeySet: Boolean(c.mailgunSigningKey),
    sesTopicArns: c.sesTopicArns ?? [],
  };
}

/** SendGrid's verification key as a KeyObject: base64 DER SubjectPublicKeyInfo of a P-256 key. */
export function sendgridKeyObject(base64Der: string) {
  const key = createPublicKey({ key: Buffer.from(base64Der, "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
    throw new Error("not a P-256 key");
  return key;
}

export async function saveEmailWebhooks(ctx: ServiceContext, input: SaveEmailWebhooksInput) {
  if (input.sendgridPublicKey) {
    try {
      sendgridKeyObject(input.sendgridPublicKey);
    } catch {
      throw new ValidationError(
        "That is not SendGrid's verification key: paste the base64 public key shown under Mail Settings → Event Webhook → Signature Verification",
        { sendgridPublicKey: ["Not an ECDSA P-256 public key"] },
      );
    }
  }
  const current = await getEmailWebhooksConfig(ctx.db);
  const next: EmailWebhooksConfig = {
    ...current,
    sendgridPublicKey: input.sendgridPublicKey || undefined,
    mailgunSigningKey: input.clearMailgunSigningKey
      ? undefined
      : input.mailgunSigningKey || current.mailgunSigningKey,
    sesTopicArns: [...new Set(input.sesTopicArns)],
  };
  await writeConfig(ctx, next);
  await record(
    ctx.db,
    ctx.actor,
    null,
    "instance.email_webhooks_updated",
    { type: "instance", id: null },
    {
      sendgrid: Boolean(next.sendgridPublicKey),
      mailgun: Boolean(next.mailgunSigningKey),
      sesTopics: next.sesTopicArns?.length ?? 0,
    },
  );
  return viewEmailWebhooks(ctx.db);
}

/** New random Basic credentials for Postmark's webhook (the old ones stop working at once). */
export async function regeneratePostmarkCredentials(ctx: ServiceContext) {
  const current = await getEmailWebhooksConfig(ctx.db);
  await writeConfig(ctx, {
    ...current,
    postmarkUsername: `organic-${randomBytes(6).toString("hex")}`,
    postmarkPassword: randomBytes(24).toString("base64url"),
  });
  await record(ctx.db, ctx.actor, null, "instance.postmark_webhook_credentials_generated", {
    type: "instance",
    id: null,
  });
  return viewEmailWebhooks(ctx.db);
}

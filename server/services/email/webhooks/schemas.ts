import { z } from "zod";

/**
 * Bounce and complaint webhooks of the operator's email providers (Settings → Instance), shared
 * with the form: Zod only, nothing server-only.
 */
export const EMAIL_WEBHOOK_PROVIDERS = ["ses", "postmark", "sendgrid", "mailgun"] as const;
export type EmailWebhookProvider = (typeof EMAIL_WEBHOOK_PROVIDERS)[number];

export const EMAIL_WEBHOOK_LABELS: Record<EmailWebhookProvider, string> = {
  ses: "Amazon SES (SNS)",
  postmark: "Postmark",
  sendgrid: "SendGrid",
  mailgun: "Mailgun",
};

/** An SNS topic ARN: arn:aws:sns:<region>:<12-digit account>:<topic>. */
export const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/;

export const saveEmailWebhooksInput = z.object({
  /** SendGrid's "Verification Key" (base64 DER of a P-256 public key); empty clears it. */
  sendgridPublicKey: z
    .string()
    .trim()
    .max(1000, "At most 1,000 characters")
    .transform((v) => v.replace(/-----[A-Z ]+-----|\s+/g, "")),
  /** Mailgun's HTTP webhook signing key: write-only, empty keeps the saved one. */
  mailgunSigningKey: z.string().trim().max(200, "At most 200 characters").optional(),
  clearMailgunSigningKey: z.boolean().optional(),
  /** The SNS topics whose notifications are accepted (one ARN a line). */
  sesTopicArns: z
    .array(
      z
        .string()
        .trim()
        .regex(SNS_TOPIC_ARN, "Enter topic ARNs such as arn:aws:sns:eu-west-1:123456789012:ses-bounces"),
    )
    .max(20, "At most 20 topics"),
});
export type SaveEmailWebhooksInput = z.infer<typeof saveEmailWebhooksInput>;

/** What Settings → Instance shows: webhook addresses, the Postmark credentials we generated. */
export interface EmailWebhooksView {
  urls: Record<EmailWebhookProvider, string>;
  /** The Postmark address with our Basic credentials in it (null until generated). */
  postmarkUrlWithCredentials: string | null;
  postmark: { username: string; password: string } | null;
  sendgridPublicKey: string;
  mailgunSigningKeySet: boolean;
  sesTopicArns: string[];
}

import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "./env";

const g = globalThis as unknown as { organicMailer?: Transporter | null };

/** The SMTP transport from SMTP_URL (pooled), or null when none is configured. */
export function getMailer(): Transporter | null {
  if (g.organicMailer !== undefined) return g.organicMailer;
  const url = env().SMTP_URL;
  g.organicMailer = url
    ? nodemailer.createTransport(
        url.includes("pool=") ? url : `${url}${url.includes("?") ? "&" : "?"}pool=true`,
      )
    : null;
  return g.organicMailer;
}

/** Whether app mail (invitations, verification, password reset) can leave: SMTP_URL is set. */
export function systemMailConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

export async function sendMail(msg: MailMessage): Promise<{ messageId: string } | null> {
  const mailer = getMailer();
  if (!mailer) return null;
  const info = await mailer.sendMail({
    from: env().EMAIL_FROM,
    to: msg.to,
    subject: msg.subject,
    text: msg.text,
    html: msg.html ?? undefined,
  });
  return { messageId: info.messageId };
}

/** Test hook: forget the transport so the next mail reads SMTP_URL again. */
export function resetMailer() {
  g.organicMailer?.close();
  g.organicMailer = undefined;
}

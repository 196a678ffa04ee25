import { z } from "zod";
import {
  DEFAULT_PORT,
  MAIL_SERVER_MODES,
  type MailServerMode,
  SMTP_SECURITY,
  SMTP_SECURITY_LABELS,
  type SmtpSecurity,
} from "@/lib/enums";

export type { MailServerMode, SmtpSecurity };
// In lib/enums.ts so that forms can show them without loading Zod.
export { DEFAULT_PORT, MAIL_SERVER_MODES, SMTP_SECURITY, SMTP_SECURITY_LABELS };

const HOST = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/i;
const IPV6 = /^\[?[0-9a-f:.]+\]?$/i;

/**
 * The Mail server card's input, shared by the form and the server (imports Zod and lib/enums.ts). `mode`:
 * the operator's server (SMTP_URL, else the in-app outbox), the workspace's own SMTP server, or
 * its connected Gmail account.
 */
export const mailServerInput = z
  .object({
    mode: z.enum(MAIL_SERVER_MODES, "Choose how this workspace sends"),
    host: z.string().trim().toLowerCase().max(253).default(""),
    port: z.coerce
      .number("Enter the port number")
      .int("Enter the port number")
      .min(1, "The port is a number from 1 to 65535")
      .max(65535, "The port is a number from 1 to 65535")
      .default(587),
    security: z.enum(SMTP_SECURITY, "Choose none, STARTTLS or TLS").default("starttls"),
    username: z.string().trim().max(255).default(""),
    /** Write-only: empty or absent keeps the stored password. */
    password: z.string().max(1024).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.mode !== "own") return;
    if (!v.host)
      ctx.addIssue({ code: "custom", path: ["host"], message: "Enter the mail server's host name" });
    else if (!HOST.test(v.host) && !(v.host.includes(":") && IPV6.test(v.host)))
      ctx.addIssue({
        code: "custom",
        path: ["host"],
        message: "Enter just the host name, like smtp.example.com (no smtp:// or port)",
      });
  });
export type MailServerInput = z.input<typeof mailServerInput>;

/** What the card shows: never a password, only whether one is stored. */
export interface MailServerView {
  mode: MailServerMode;
  /** The row still holds the older hand-written `smtp.url` (shown as host:port, read as "own"). */
  legacy: boolean;
  own: { host: string; port: number; security: SmtpSecurity; username: string; passwordSet: boolean } | null;
  /** The operator's SMTP_URL as host:port, or null (mail then stays in the in-app outbox). */
  serverDefault: string | null;
  gmail: { connected: boolean; account: string | null; available: boolean };
  /** Where campaign mail goes now: what getTransport resolves to. */
  active: "smtp" | "gmail" | "outbox";
}

export interface MailServerTestResult {
  ok: boolean;
  /** The outcome in words: sent to whom, or why not (auth failed, refused, TLS, timeout…). */
  message: string;
  /** The server's own last answer, when there was one. */
  serverReply: string | null;
}

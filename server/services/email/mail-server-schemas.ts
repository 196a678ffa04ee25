import { z } from "zod";

/**
 * The Mail server card's input, shared by the form and the server (imports only Zod). `mode`:
 * the operator's server (SMTP_URL, else the in-app outbox), the workspace's own SMTP server, or
 * its connected Gmail account.
 */
export const MAIL_SERVER_MODES = ["default", "own", "gmail"] as const;
export type MailServerMode = (typeof MAIL_SERVER_MODES)[number];

export const SMTP_SECURITY = ["none", "starttls", "tls"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];
export const SMTP_SECURITY_LABELS: Record<SmtpSecurity, string> = {
  starttls: "STARTTLS (usually port 587)",
  tls: "TLS from the start (usually port 465)",
  none: "None (plain text; local relays only)",
};
export const DEFAULT_PORT: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

const HOST = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/i;
const IPV6 = /^\[?[0-9a-f:.]+\]?$/i;

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

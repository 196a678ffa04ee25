import { z } from "zod";

/**
 * Settings → Sending → Bounces: the return path (VERP) campaign mail goes out with, and the IMAP
 * mailbox where bounces, complaints and replies arrive. Shared by the form and the server.
 */

export const IMAP_SECURITY = ["tls", "starttls", "none"] as const;
export type ImapSecurity = (typeof IMAP_SECURITY)[number];
export const IMAP_SECURITY_LABELS: Record<ImapSecurity, string> = {
  tls: "TLS (port 993)",
  starttls: "STARTTLS (port 143)",
  none: "None (unencrypted)",
};
export const IMAP_DEFAULT_PORT: Record<ImapSecurity, number> = { tls: 993, starttls: 143, none: 143 };

const HOST = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/i;
const IPV6 = /^\[?[0-9a-f:.]+\]?$/i;

/** The stored section (`workspaces.settings.bounces`): the mailbox password sealed with the secret box. */
export const bouncesSectionSchema = z.object({
  /** The bare bounce address, e.g. bounces@mail.brand.com; null: mail goes out with the From as return path. */
  returnPath: z.string().nullable().default(null),
  mailbox: z
    .object({
      enabled: z.boolean(),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      security: z.enum(IMAP_SECURITY),
      username: z.string(),
      passwordSealed: z.string().nullable(),
      folder: z.string().min(1),
    })
    .nullable()
    .default(null),
});
export type BouncesSection = z.output<typeof bouncesSectionSchema>;

/** Where the mailbox poll got to (its own section, so saving the card never loses it). */
export const bounceMailboxStateSchema = z.object({
  /** host|user|folder the cursor belongs to: another mailbox starts over. */
  mailboxKey: z.string(),
  uidValidity: z.string().nullable(),
  lastUid: z.number().int().min(0),
  lastPolledAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  lastResult: z
    .object({
      read: z.number().int(),
      bounces: z.number().int(),
      complaints: z.number().int(),
      replies: z.number().int(),
      ignored: z.number().int(),
    })
    .nullable(),
});
export type BounceMailboxState = z.output<typeof bounceMailboxStateSchema>;

export const bouncesInput = z.object({
  returnPath: z
    .string()
    .trim()
    .toLowerCase()
    .max(200)
    .refine(
      (v) => v === "" || z.email().safeParse(v).success,
      "Enter a valid bounce address, like bounces@mail.example.com",
    )
    .refine(
      (v) => !v.split("@")[0]?.includes("+"),
      "The bounce address must not contain +: it is added for each message",
    )
    .default(""),
  mailbox: z
    .object({
      enabled: z.boolean().default(false),
      host: z.string().trim().toLowerCase().max(253).default(""),
      port: z.coerce
        .number("Enter the port number")
        .int("Enter the port number")
        .min(1, "The port is a number from 1 to 65535")
        .max(65535, "The port is a number from 1 to 65535")
        .default(993),
      security: z.enum(IMAP_SECURITY, "Choose TLS, STARTTLS or none").default("tls"),
      username: z.string().trim().max(255).default(""),
      /** Write-only: empty or absent keeps the stored password (same host and username only). */
      password: z.string().max(1024).optional(),
      folder: z.string().trim().min(1, "Enter the folder, usually INBOX").max(200).default("INBOX"),
    })
    .superRefine((v, ctx) => {
      if (!v.host) {
        if (v.enabled)
          ctx.addIssue({ code: "custom", path: ["host"], message: "Enter the IMAP server's host name" });
        return;
      }
      if (!HOST.test(v.host) && !(v.host.includes(":") && IPV6.test(v.host)))
        ctx.addIssue({
          code: "custom",
          path: ["host"],
          message: "Enter just the host name, like imap.example.com (no imap:// or port)",
        });
      if (!v.username)
        ctx.addIssue({ code: "custom", path: ["username"], message: "Enter the mailbox's username" });
    })
    .nullable()
    .default(null),
});
export type BouncesInput = z.input<typeof bouncesInput>;

/** What the card shows: never the password, only whether one is stored. */
export interface BouncesView {
  returnPath: string | null;
  mailbox: {
    enabled: boolean;
    host: string;
    port: number;
    security: ImapSecurity;
    username: string;
    passwordSet: boolean;
    folder: string;
  } | null;
  state: {
    lastPolledAt: string | null;
    lastError: string | null;
    lastResult: BounceMailboxState["lastResult"];
  } | null;
}

export interface MailboxTestResult {
  ok: boolean;
  message: string;
  /** Messages in the folder, when the test could open it. */
  messages: number | null;
}

export interface MailboxPollSummary {
  read: number;
  bounces: number;
  complaints: number;
  replies: number;
  ignored: number;
}

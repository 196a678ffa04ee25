/** What a campaign transport is (SMTP, Gmail, the outbox): shared by the transports without importing them. */

export interface OutgoingEmail {
  from: { name: string; address: string };
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** Message-ID, List-Unsubscribe, List-Unsubscribe-Post, … */
  headers: Record<string, string>;
}

export interface TransportResult {
  messageId: string;
  /** True when a mail server took the message; false when it was kept in the in-app outbox. */
  accepted: boolean;
}

export interface EmailTransport {
  /** Resolved on first use: "gmail" (connected in Integrations), "smtp" or "outbox". */
  kind(): Promise<"gmail" | "smtp" | "outbox">;
  send(message: OutgoingEmail): Promise<TransportResult>;
}

/**
 * A failed hand-over. `permanent` (SMTP 5xx: no such mailbox, rejected) must not be retried and
 * marks the address bounced; otherwise (4xx, network) the message is tried again later.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

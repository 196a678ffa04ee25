import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { sendMail } from "@/lib/mailer";
import { outboxMessages } from "@/server/db/schema";
import { unsealOutboxBody } from "@/server/services/email/outbox";
import { defineJob } from "../types";

/**
 * Delivers one app email (invitation, confirmation, verification, password reset…) from the outbox
 * table via SMTP, when configured. The row's readable text is redacted; the message as it must be
 * sent is sealed beside it, opened here, and cleared once a mail server took it.
 */
export const sendSystemEmailJob = defineJob({
  queue: "email",
  name: "send-system-email",
  schema: z.object({ outboxId: z.uuid() }),
  async handler({ outboxId }, { db, log }) {
    const pending = and(eq(outboxMessages.id, outboxId), eq(outboxMessages.status, "pending"));
    const [msg] = await db.select().from(outboxMessages).where(pending);
    if (!msg) return { skipped: true };
    let body: { text: string; html: string | null } = { text: msg.text, html: msg.html };
    if (msg.sealedBody) {
      try {
        body = unsealOutboxBody(msg.sealedBody);
      } catch (err) {
        // Mailing the redacted copy would send links that do not work: fail where an admin sees it.
        await db
          .update(outboxMessages)
          .set({
            status: "failed",
            sealedBody: null,
            error: "The sealed message could not be opened (was ENCRYPTION_KEY changed?); it was not sent.",
          })
          .where(pending);
        log.error({ err, outboxId }, "system email: sealed body could not be opened");
        return { delivered: false };
      }
    }
    const sent = await sendMail({
      to: msg.toAddress,
      subject: msg.subject,
      text: body.text,
      html: body.html,
    });
    await db
      .update(outboxMessages)
      .set(sent ? { status: "sent", sentAt: new Date(), sealedBody: null } : { status: "outbox" })
      .where(pending);
    log.info(
      { outboxId, delivered: Boolean(sent) },
      sent ? "email sent" : "no SMTP configured: kept in outbox",
    );
    return { delivered: Boolean(sent) };
  },
});

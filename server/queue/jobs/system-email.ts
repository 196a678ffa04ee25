import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { sendMail } from "@/lib/mailer";
import { outboxMessages } from "@/server/db/schema";
import { defineJob } from "../types";

/** Delivers one app email (e.g. an invitation) from the outbox table via SMTP, when configured. */
export const sendSystemEmailJob = defineJob({
  queue: "email",
  name: "send-system-email",
  schema: z.object({ outboxId: z.uuid() }),
  async handler({ outboxId }, { db, log }) {
    const [msg] = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.id, outboxId), eq(outboxMessages.status, "pending")));
    if (!msg) return { skipped: true };
    const sent = await sendMail({ to: msg.toAddress, subject: msg.subject, text: msg.text, html: msg.html });
    await db
      .update(outboxMessages)
      .set(sent ? { status: "sent", sentAt: new Date() } : { status: "outbox" })
      .where(and(eq(outboxMessages.id, outboxId), eq(outboxMessages.status, "pending")));
    log.info(
      { outboxId, delivered: Boolean(sent) },
      sent ? "email sent" : "no SMTP configured: kept in outbox",
    );
    return { delivered: Boolean(sent) };
  },
});

import { randomUUID } from "node:crypto";
import type { campaignEnrollments, emailEvents, emailSends } from "@/server/db/schema";
import { isMachineRequest } from "@/server/services/email/tracking";
import { type CampaignTemplate, linksOf } from "./campaigns";
import { DAY, type Rng } from "./rng";

/**
 * A campaign's history as the app records it: ledger rows (`email_sends`, status `sent` with the
 * time the transport took it), tracking events (`email_events`: opens and clicks with the reader's
 * user agent, flagged `is_machine` by the app's own classifier) and, for sequences and triggered
 * campaigns, enrolments with the later steps still pending when they are not due yet.
 */

export interface AudienceLead {
  id: string;
  email: string;
  createdAt: Date;
}

export interface PlannedEmail {
  sends: (typeof emailSends.$inferInsert)[];
  events: (typeof emailEvents.$inferInsert)[];
  enrollments: (typeof campaignEnrollments.$inferInsert)[];
  /** A reader's first human open and click (the email item's views and clicks follow them). */
  firstOpens: Date[];
  firstClicks: { at: Date; leadId: string }[];
}

const HUMAN_AGENTS = [
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
] as const;
const PROXY_AGENT =
  "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface Step {
  id: string;
  delayMinutes: number;
  body: string;
}

/** Opens and clicks of one sent message, none later than `now`. */
function engage(
  rng: Rng,
  p: { send: typeof emailSends.$inferInsert & { id: string; sentAt: Date }; links: string[] },
  t: CampaignTemplate,
  now: number,
  out: PlannedEmail,
) {
  const { send } = p;
  const sentAt = send.sentAt.getTime();
  const event = (type: "open" | "click", at: number, userAgent: string, url: string | null = null) => {
    const isMachine = isMachineRequest(
      { userAgent, headers: new Headers() },
      { type, sentAt: send.sentAt, now: new Date(at) },
    );
    out.events.push({
      workspaceId: send.workspaceId,
      sendId: send.id,
      campaignId: send.campaignId,
      leadId: send.leadId,
      type,
      url,
      isMachine,
      ipAddress: `203.0.113.${rng.int(1, 254)}`,
      userAgent,
      createdAt: new Date(at),
    });
    return isMachine;
  };
  // An image proxy fetches the pixel on delivery; it is stored and left out of every count.
  if (rng.chance(0.15)) event("open", sentAt + rng.int(2, 40) * SECOND, PROXY_AGENT);
  if (!rng.chance(t.engagement[0])) return;
  const agent = rng.pick(HUMAN_AGENTS);
  const opened = sentAt + rng.logBetween(2, 2 * 24 * 60) * MINUTE;
  if (opened >= now) return;
  if (!event("open", opened, agent)) out.firstOpens.push(new Date(opened));
  const reopened = opened + rng.logBetween(5, 24 * 60) * MINUTE;
  if (rng.chance(0.3) && reopened < now) event("open", reopened, agent);
  const clicked = opened + rng.int(5, 600) * SECOND;
  if (p.links.length && rng.chance(t.engagement[1]) && clicked < now) {
    if (!event("click", clicked, agent, rng.pick(p.links)))
      out.firstClicks.push({ at: new Date(clicked), leadId: send.leadId });
  }
}

/** Who gets which step when, for one campaign; `startAt` is its send time or when it was switched on. */
export function planCampaignEmail(
  rng: Rng,
  p: {
    workspaceId: string;
    campaignId: string;
    template: CampaignTemplate;
    steps: Step[];
    audience: AudienceLead[];
    startAt: Date;
    now: number;
  },
): PlannedEmail {
  const { workspaceId, campaignId, template: t, steps, now } = p;
  const out: PlannedEmail = { sends: [], events: [], enrollments: [], firstOpens: [], firstClicks: [] };
  if (t.status === "draft") return out;
  const start = p.startAt.getTime();
  const send = (lead: AudienceLead, step: Step, dueAt: number, sentAt: number | null, queuedAt: number) => {
    const row = {
      id: randomUUID(),
      workspaceId,
      campaignId,
      stepId: step.id,
      leadId: lead.id,
      toAddress: lead.email,
      status: sentAt === null ? ("pending" as const) : ("sent" as const),
      dueAt: new Date(dueAt),
      attempts: sentAt === null ? 0 : 1,
      sentAt: sentAt === null ? null : new Date(sentAt),
      messageId: sentAt === null ? null : `<${randomUUID()}@fernwood.example.com>`,
      // The demo's mail server accepted every message (the sender records this on SMTP 250); without
      // it the reports would say the mail only reached the in-app outbox.
      delivered: sentAt !== null,
      createdAt: new Date(queuedAt),
    };
    out.sends.push(row);
    if (row.sentAt)
      engage(rng, { send: { ...row, sentAt: row.sentAt }, links: linksOf(step.body) }, t, now, out);
  };

  if (t.type === "one-time") {
    // The whole audience of the day it went out, at the pace of the SMTP pool.
    p.audience
      .filter((l) => l.createdAt.getTime() < start)
      .forEach((lead, i) => {
        send(lead, steps[0]!, start, start + i * 1_500 + rng.int(0, 900), start);
      });
    return out;
  }

  const stopAt = t.pausedDaysAgo === undefined ? now : now - t.pausedDaysAgo * DAY;
  for (const lead of p.audience) {
    const joined = lead.createdAt.getTime();
    // Sequences enrol the whole audience when switched on, then newcomers; triggered ones only newcomers.
    if (t.type === "triggered" && joined < start) continue;
    const enrolledAt = Math.max(joined, start) + rng.int(1, 10) * MINUTE;
    if (enrolledAt >= stopAt) continue;
    out.enrollments.push({
      workspaceId,
      campaignId,
      leadId: lead.id,
      status: "active",
      enrolledAt: new Date(enrolledAt),
    });
    for (const step of steps) {
      const due = enrolledAt + step.delayMinutes * MINUTE;
      send(lead, step, due, due < stopAt - 2 * MINUTE ? due + rng.int(5, 90) * SECOND : null, enrolledAt);
    }
  }
  return out;
}

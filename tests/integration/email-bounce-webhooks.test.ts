import { execFileSync } from "node:child_process";
import {
  createHmac,
  createSign,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  sign as signWith,
} from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as emailWebhookPOST } from "@/app/api/webhooks/email/[provider]/route";
import { resetEnvCache } from "@/lib/env";
import {
  activityLogs,
  campaignEnrollments,
  campaignSteps,
  emailCampaigns,
  emailEvents,
  emailSends,
  emailSuppressions,
  leads,
} from "@/server/db/schema";
import { systemActor } from "@/server/services/context";
import { applyDeliveryReport } from "@/server/services/email/bounces";
import { recordOutcomes } from "@/server/services/email/send-recorder";
import { regeneratePostmarkCredentials, saveEmailWebhooks } from "@/server/services/email/webhooks/config";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/**
 * Bounce and complaint webhooks of SES (SNS), Postmark, SendGrid and Mailgun through the real route
 * handler, with each provider's documented payloads signed by test keys: an RSA key and self-signed
 * certificate served by a local "SNS" server, a P-256 key for SendGrid, an HMAC key for Mailgun and the
 * Basic credentials the instance generated for Postmark.
 */

const h = await setupTestDb();
const db = h.db;
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };

const saved = {
  pattern: process.env.SNS_CERT_HOST_PATTERN,
  insecure: process.env.SNS_ALLOW_INSECURE,
  dataDir: process.env.DATA_DIR,
};
const tmp = mkdtempSync(path.join(os.tmpdir(), "organic-bounce-webhooks-"));

// --- the SNS stand-in: serves the signing certificate and answers subscribe URLs ----------------
execFileSync(
  "openssl",
  [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    path.join(tmp, "key.pem"),
    "-out",
    path.join(tmp, "cert.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=sns.stand-in.test",
  ],
  { stdio: "ignore" },
);
const snsKey = readFileSync(path.join(tmp, "key.pem"), "utf8");
const snsCert = readFileSync(path.join(tmp, "cert.pem"), "utf8");
const subscribeHits: string[] = [];
let certFetches = 0;
const snsServer = http.createServer((req, res) => {
  if (req.url === "/SimpleNotificationService-test.pem") {
    certFetches++;
    res.writeHead(200, { "content-type": "application/x-pem-file" }).end(snsCert);
  } else if (req.url?.startsWith("/confirm")) {
    subscribeHits.push(req.url);
    res.writeHead(200, { "content-type": "text/xml" }).end("<ConfirmSubscriptionResponse/>");
  } else res.writeHead(404).end();
});
await new Promise<void>((r) => snsServer.listen(0, "127.0.0.1", r));
const snsBase = `http://127.0.0.1:${(snsServer.address() as AddressInfo).port}`;

const TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-bounces";

const sendgridKeys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const sendgridPublic = sendgridKeys.publicKey.export({ type: "spki", format: "der" }).toString("base64");
const mailgunKey = `key-${randomBytes(16).toString("hex")}`;
let postmarkAuth = "";

// --- fixtures: two workspaces, a sequence in each, leads with a sent and a pending message -----
const t = await twoWorkspaces(db);

async function campaignIn(workspaceId: string) {
  const [c] = await db
    .insert(emailCampaigns)
    .values({ workspaceId, name: "Welcome", type: "sequence", status: "active", content: {} })
    .returning();
  const steps = await db
    .insert(campaignSteps)
    .values(
      [1, 2].map((position) => ({ workspaceId, campaignId: c!.id, position, subject: `Step ${position}` })),
    )
    .returning();
  return { campaignId: c!.id, step1: steps[0]!.id, step2: steps[1]!.id };
}
const campaigns = new Map<string, Awaited<ReturnType<typeof campaignIn>>>();

/** A lead enrolled in its workspace's sequence: step 1 sent, step 2 pending. */
async function enrolledLead(workspaceId: string, email = `${randomUUID().slice(0, 8)}@example.test`) {
  const c = campaigns.get(workspaceId)!;
  const [lead] = await db.insert(leads).values({ workspaceId, email }).returning();
  await db.insert(campaignEnrollments).values({ workspaceId, campaignId: c.campaignId, leadId: lead!.id });
  const [sent, pending] = await db
    .insert(emailSends)
    .values([
      {
        workspaceId,
        campaignId: c.campaignId,
        stepId: c.step1,
        leadId: lead!.id,
        toAddress: email,
        status: "sent" as const,
        sentAt: new Date(),
      },
      { workspaceId, campaignId: c.campaignId, stepId: c.step2, leadId: lead!.id, toAddress: email },
    ])
    .returning();
  await db
    .update(emailSends)
    .set({ messageId: `<${sent!.id}@acme.example>` })
    .where(eq(emailSends.id, sent!.id));
  return {
    leadId: lead!.id,
    email,
    sendId: sent!.id,
    pendingId: pending!.id,
    messageId: `<${sent!.id}@acme.example>`,
  };
}
type Lead = Awaited<ReturnType<typeof enrolledLead>>;

beforeAll(async () => {
  appDb.organicDb = Promise.resolve(h);
  process.env.SNS_CERT_HOST_PATTERN = "^127\\.0\\.0\\.1$";
  process.env.SNS_ALLOW_INSECURE = "true";
  process.env.DATA_DIR = tmp;
  resetEnvCache();
  campaigns.set(t.ws.id, await campaignIn(t.ws.id));
  campaigns.set(t.other.id, await campaignIn(t.other.id));
  const ctx = { db, actor: systemActor };
  await saveEmailWebhooks(ctx, {
    sendgridPublicKey: sendgridPublic,
    mailgunSigningKey: mailgunKey,
    sesTopicArns: [TOPIC],
  });
  const view = await regeneratePostmarkCredentials(ctx);
  postmarkAuth = `Basic ${Buffer.from(`${view.postmark!.username}:${view.postmark!.password}`).toString("base64")}`;
});

afterAll(async () => {
  appDb.organicDb = undefined;
  for (const [k, v] of [
    ["SNS_CERT_HOST_PATTERN", saved.pattern],
    ["SNS_ALLOW_INSECURE", saved.insecure],
    ["DATA_DIR", saved.dataDir],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  await new Promise((r) => snsServer.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

// --- helpers --------------------------------------------------------------------------------------
let ipCounter = 1;
async function post(provider: string, body: string, headers: Record<string, string> = {}) {
  const res = await emailWebhookPOST(
    new Request(`http://localhost:3000/api/webhooks/email/${provider}`, {
      method: "POST",
      headers: { "x-forwarded-for": `203.0.113.${ipCounter++ % 250}`, ...headers },
      body,
    }),
    { params: Promise.resolve({ provider }) },
  );
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const leadRow = async (l: Lead) => (await db.select().from(leads).where(eq(leads.id, l.leadId)))[0]!;
const sendRow = async (id: string) => (await db.select().from(emailSends).where(eq(emailSends.id, id)))[0]!;
const eventsOf = (l: Lead) => db.select().from(emailEvents).where(eq(emailEvents.leadId, l.leadId));
const enrolmentOf = async (l: Lead) =>
  (await db.select().from(campaignEnrollments).where(eq(campaignEnrollments.leadId, l.leadId)))[0]!;
const suppressionsOf = (workspaceId: string, email: string) =>
  db
    .select()
    .from(emailSuppressions)
    .where(and(eq(emailSuppressions.workspaceId, workspaceId), eq(emailSuppressions.value, email)));
/**
 * Every event SES webhooks wrote, in any workspace. Only this file posts SES webhooks; other files
 * share the database on PostgreSQL and write events of their own at the same time.
 */
const allEvents = async () =>
  (await db.select({ id: emailEvents.id }).from(emailEvents).where(eq(emailEvents.source, "ses"))).length;

async function expectStopped(l: Lead, workspaceId: string, reason: "bounced" | "complained") {
  expect((await leadRow(l)).status).toBe(reason);
  const [supp] = await suppressionsOf(workspaceId, l.email);
  expect(supp).toMatchObject({ kind: "address", reason, leadId: l.leadId });
  expect(await enrolmentOf(l)).toMatchObject({ status: "exited", exitReason: reason });
  expect((await enrolmentOf(l)).exitedAt).not.toBeNull();
  expect((await sendRow(l.pendingId)).status).toBe("suppressed");
  const logged = await db
    .select()
    .from(activityLogs)
    .where(and(eq(activityLogs.workspaceId, workspaceId), eq(activityLogs.entityId, l.leadId)));
  expect(logged.map((a) => a.action)).toContain(`lead.${reason}`);
  expect(logged.every((a) => a.userId === null)).toBe(true);
}

async function expectUntouched(l: Lead, workspaceId: string) {
  expect((await leadRow(l)).status).toBe("active");
  expect(await suppressionsOf(workspaceId, l.email)).toEqual([]);
  expect((await enrolmentOf(l)).status).toBe("active");
  expect((await sendRow(l.pendingId)).status).toBe("pending");
}

// --- SNS signing as Amazon documents it ----------------------------------------------------------
type Sns = Record<string, string>;
function signSns(m: Sns, version: "1" | "2" = "1"): Sns {
  const keys =
    m.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  const canonical = keys
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}\n${m[k]}\n`)
    .join("");
  const signer = createSign(version === "1" ? "RSA-SHA1" : "RSA-SHA256");
  signer.update(canonical);
  return { ...m, SignatureVersion: version, Signature: signer.sign(snsKey, "base64") };
}

function snsNotification(message: unknown, over: Sns = {}): Sns {
  return {
    Type: "Notification",
    MessageId: randomUUID(),
    TopicArn: TOPIC,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SigningCertURL: `${snsBase}/SimpleNotificationService-test.pem`,
    UnsubscribeURL: `${snsBase}/unsubscribe`,
    ...over,
  };
}

/** An SES bounce notification as documented (notification-contents), for our message. */
function sesBounce(l: Lead, bounceType: "Permanent" | "Transient") {
  return {
    notificationType: "Bounce",
    bounce: {
      bounceType,
      bounceSubType: bounceType === "Permanent" ? "General" : "MailboxFull",
      bouncedRecipients: [
        {
          emailAddress: l.email,
          action: "failed",
          status: "5.1.1",
          diagnosticCode: "smtp; 550 5.1.1 user unknown",
        },
      ],
      timestamp: new Date().toISOString(),
      feedbackId: `0100${randomUUID()}`,
      reportingMTA: "dsn; a8-70.smtp-out.amazonses.com",
    },
    mail: {
      timestamp: new Date().toISOString(),
      source: "news@acme.example",
      messageId: `0100${randomUUID()}-000000`,
      destination: [l.email],
      headersTruncated: false,
      headers: [
        { name: "From", value: "news@acme.example" },
        { name: "Message-ID", value: l.messageId },
      ],
      commonHeaders: {
        from: ["news@acme.example"],
        to: [l.email],
        messageId: l.messageId,
        subject: "Step 1",
      },
    },
  };
}

const postSns = (m: Sns) =>
  post("ses", JSON.stringify(m), {
    "content-type": "text/plain; charset=UTF-8",
    "x-amz-sns-message-type": m.Type!,
    "x-amz-sns-message-id": m.MessageId!,
  });

// --- the tests ------------------------------------------------------------------------------------

describe("routing", () => {
  it("answers 404 for a provider it does not know", async () => {
    const res = await post("sparkpost", "[]");
    expect(res.status).toBe(404);
  });
});

describe("Amazon SES via SNS", () => {
  it("confirms a subscription by fetching its SubscribeURL", async () => {
    const msg = signSns({
      Type: "SubscriptionConfirmation",
      MessageId: randomUUID(),
      Token: "2336412f37fb687f5d51e6e2425",
      TopicArn: TOPIC,
      Message: `You have chosen to subscribe to the topic ${TOPIC}.`,
      SubscribeURL: `${snsBase}/confirm?Action=ConfirmSubscription&Token=2336412f37fb687f5d51e6e2425`,
      Timestamp: new Date().toISOString(),
      SigningCertURL: `${snsBase}/SimpleNotificationService-test.pem`,
    });
    const res = await postSns(msg);
    expect(res).toMatchObject({ status: 200, json: { confirmed: true } });
    expect(subscribeHits).toEqual(["/confirm?Action=ConfirmSubscription&Token=2336412f37fb687f5d51e6e2425"]);
  });

  it("refuses a subscribe URL that is not on an SNS host, fetching nothing", async () => {
    const msg = signSns({
      Type: "SubscriptionConfirmation",
      MessageId: randomUUID(),
      Token: "abc",
      TopicArn: TOPIC,
      Message: "subscribe",
      SubscribeURL: "http://localhost:9/confirm",
      Timestamp: new Date().toISOString(),
      SigningCertURL: `${snsBase}/SimpleNotificationService-test.pem`,
    });
    expect((await postSns(msg)).status).toBe(403);
    expect(subscribeHits).toHaveLength(1);
  });

  it("applies a permanent bounce (SignatureVersion 2): lead bounced, suppressed, enrolment exited", async () => {
    const l = await enrolledLead(t.ws.id);
    const msg = signSns(snsNotification(sesBounce(l, "Permanent")), "2");
    const res = await postSns(msg);
    expect(res).toMatchObject({ status: 200, json: { applied: 1, notOurs: 0 } });
    await expectStopped(l, t.ws.id, "bounced");
    expect((await sendRow(l.sendId)).status).toBe("bounced");
    const [ev] = await eventsOf(l);
    expect(ev).toMatchObject({
      type: "bounce",
      bounceType: "hard",
      source: "ses",
      sendId: l.sendId,
      workspaceId: t.ws.id,
    });
    expect(ev!.detail).toContain("550 5.1.1 user unknown");

    // SNS retries the same message: stored once
    const again = await postSns(msg);
    expect(again).toMatchObject({ status: 200, json: { applied: 0, duplicates: 1 } });
    expect(await eventsOf(l)).toHaveLength(1);
  });

  it("applies a complaint (SignatureVersion 1): lead complained", async () => {
    const l = await enrolledLead(t.ws.id);
    const complaint = {
      notificationType: "Complaint",
      complaint: {
        complainedRecipients: [{ emailAddress: l.email }],
        timestamp: new Date().toISOString(),
        feedbackId: `0100${randomUUID()}`,
        userAgent: "Mozilla/5.0",
        complaintFeedbackType: "abuse",
        arrivalDate: new Date().toISOString(),
      },
      mail: sesBounce(l, "Permanent").mail,
    };
    expect((await postSns(signSns(snsNotification(complaint)))).status).toBe(200);
    await expectStopped(l, t.ws.id, "complained");
  });

  it("refuses a bad signature, an unknown topic and a certificate off SNS hosts, storing nothing", async () => {
    const l = await enrolledLead(t.ws.id);
    const before = await allEvents();
    const fetchesBefore = certFetches;
    const good = signSns(snsNotification(sesBounce(l, "Permanent")));
    const tampered = { ...good, Message: good.Message!.replace("Permanent", "Transient") };
    expect((await postSns(tampered)).status).toBe(401);
    const signedByOther = { ...good, Signature: randomBytes(256).toString("base64") };
    expect((await postSns(signedByOther)).status).toBe(401);

    const foreignTopic = signSns(snsNotification(sesBounce(l, "Permanent"), { TopicArn: `${TOPIC}-other` }));
    expect((await postSns(foreignTopic)).status).toBe(403);

    const foreignCert = signSns(
      snsNotification(sesBounce(l, "Permanent"), { SigningCertURL: "http://attacker.example/cert.pem" }),
    );
    expect((await postSns(foreignCert)).status).toBe(403);
    const notPem = signSns(
      snsNotification(sesBounce(l, "Permanent"), { SigningCertURL: `${snsBase}/cert.txt` }),
    );
    expect((await postSns(notPem)).status).toBe(403);

    expect((await postSns({ ...good, Signature: "" })).status).toBe(400);
    expect((await post("ses", "not json")).status).toBe(400);
    expect(await allEvents()).toBe(before);
    await expectUntouched(l, t.ws.id);
    // the certificate is fetched once and cached
    expect(certFetches - fetchesBefore).toBeLessThanOrEqual(1);
  });
});

describe("Postmark", () => {
  function postmarkBounce(l: Lead, type: string, id: number) {
    return {
      RecordType: type === "SpamComplaint" ? "SpamComplaint" : "Bounce",
      ID: id,
      Type: type,
      TypeCode: type === "HardBounce" ? 1 : type === "SpamComplaint" ? 100001 : 4096,
      Name: type,
      Tag: "",
      MessageID: randomUUID(),
      Metadata: { "organic-send-id": l.sendId },
      ServerID: 23,
      MessageStream: "outbound",
      Description: "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
      Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
      Email: l.email,
      From: "news@acme.example",
      BouncedAt: new Date().toISOString(),
      DumpAvailable: true,
      Inactive: true,
      CanActivate: true,
      Subject: "Step 1",
    };
  }

  it("refuses missing or wrong Basic credentials, storing nothing", async () => {
    const l = await enrolledLead(t.ws.id);
    const body = JSON.stringify(postmarkBounce(l, "HardBounce", 1001));
    expect((await post("postmark", body, { "content-type": "application/json" })).status).toBe(401);
    const wrong = `Basic ${Buffer.from("organic-x:guess").toString("base64")}`;
    expect((await post("postmark", body, { authorization: wrong })).status).toBe(401);
    expect(await eventsOf(l)).toEqual([]);
    await expectUntouched(l, t.ws.id);
  });

  it("applies a HardBounce and a SpamComplaint found by the send-id metadata", async () => {
    const a = await enrolledLead(t.ws.id);
    const res = await post("postmark", JSON.stringify(postmarkBounce(a, "HardBounce", 1002)), {
      authorization: postmarkAuth,
    });
    expect(res).toMatchObject({ status: 200, json: { applied: 1 } });
    await expectStopped(a, t.ws.id, "bounced");

    const b = await enrolledLead(t.ws.id);
    await post("postmark", JSON.stringify(postmarkBounce(b, "SpamComplaint", 1003)), {
      authorization: postmarkAuth,
    });
    await expectStopped(b, t.ws.id, "complained");
  });

  it("answers 400 for a payload that is not Postmark's", async () => {
    expect((await post("postmark", "[1,2]", { authorization: postmarkAuth })).status).toBe(400);
  });
});

describe("SendGrid", () => {
  function signed(events: unknown[], key = sendgridKeys.privateKey) {
    const body = JSON.stringify(events);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWith("sha256", Buffer.from(timestamp + body), key).toString("base64");
    return {
      body,
      headers: {
        "content-type": "application/json",
        "x-twilio-email-event-webhook-signature": signature,
        "x-twilio-email-event-webhook-timestamp": timestamp,
      },
    };
  }
  const event = (l: Lead, over: Record<string, unknown>) => ({
    email: l.email,
    timestamp: Math.floor(Date.now() / 1000),
    "smtp-id": l.messageId,
    sg_event_id: randomBytes(16).toString("base64url"),
    sg_message_id: `${randomBytes(11).toString("base64url")}.filter0001.16648.5515E0B88.0`,
    ...over,
  });

  it("refuses a missing or wrong signature, storing nothing", async () => {
    const l = await enrolledLead(t.ws.id);
    const batch = [
      event(l, { event: "bounce", type: "bounce", status: "5.1.1", reason: "550 no such user" }),
    ];
    const good = signed(batch);
    expect((await post("sendgrid", good.body, { "content-type": "application/json" })).status).toBe(401);
    const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const forged = signed(batch, other.privateKey);
    expect((await post("sendgrid", forged.body, forged.headers)).status).toBe(401);
    // the signature covers the raw body: a re-serialised (changed) body fails
    expect((await post("sendgrid", `${good.body} `, good.headers)).status).toBe(401);
    expect(await eventsOf(l)).toEqual([]);
    await expectUntouched(l, t.ws.id);
  });

  it("counts soft bounces: two leave the lead active, the third bounces it", async () => {
    const l = await enrolledLead(t.ws.id);
    const soft = () =>
      event(l, {
        event: "bounce",
        type: "blocked",
        bounce_classification: "Technical",
        reason: "451 try later",
      });
    const first = signed([soft(), soft()]);
    expect(await post("sendgrid", first.body, first.headers)).toMatchObject({
      status: 200,
      json: { applied: 2 },
    });
    await expectUntouched(l, t.ws.id);
    expect((await eventsOf(l)).map((e) => e.bounceType)).toEqual(["soft", "soft"]);
    const third = signed([soft()]);
    expect((await post("sendgrid", third.body, third.headers)).status).toBe(200);
    await expectStopped(l, t.ws.id, "bounced");
    // a soft bounce never marks the message itself bounced
    expect((await sendRow(l.sendId)).status).toBe("sent");
  });

  it("applies a hard bounce and a spam report; deferrals of one message count once; retries are stored once", async () => {
    const a = await enrolledLead(t.ws.id);
    const hard = event(a, {
      event: "bounce",
      type: "bounce",
      status: "5.1.1",
      reason: "550 5.1.1 user unknown",
    });
    const batch = signed([hard, event(a, { event: "processed" }), event(a, { event: "delivered" })]);
    expect(await post("sendgrid", batch.body, batch.headers)).toMatchObject({
      status: 200,
      json: { applied: 1 },
    });
    await expectStopped(a, t.ws.id, "bounced");
    const retry = signed([hard]);
    expect(await post("sendgrid", retry.body, retry.headers)).toMatchObject({
      json: { applied: 0, duplicates: 1 },
    });
    expect(await eventsOf(a)).toHaveLength(1);

    const b = await enrolledLead(t.ws.id);
    const sgMessage = `${randomBytes(11).toString("base64url")}.filter0001.1.0`;
    const deferred = () =>
      event(b, {
        event: "deferred",
        response: "400 try again later",
        attempt: "1",
        sg_message_id: `${sgMessage}.0`,
      });
    const deferrals = signed([deferred(), deferred(), deferred()]);
    expect(await post("sendgrid", deferrals.body, deferrals.headers)).toMatchObject({
      json: { applied: 1, duplicates: 2 },
    });
    await expectUntouched(b, t.ws.id);
    const spam = signed([event(b, { event: "spamreport" })]);
    expect((await post("sendgrid", spam.body, spam.headers)).status).toBe(200);
    await expectStopped(b, t.ws.id, "complained");
  });

  it("answers 400 for a body that is not an event batch", async () => {
    const bad = signed({} as unknown as unknown[]);
    expect((await post("sendgrid", bad.body, bad.headers)).status).toBe(400);
  });
});

describe("Mailgun", () => {
  function payload(
    eventData: Record<string, unknown>,
    o: { key?: string; timestamp?: number; token?: string } = {},
  ) {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const token = o.token ?? randomBytes(25).toString("hex");
    const signature = createHmac("sha256", o.key ?? mailgunKey)
      .update(timestamp + token)
      .digest("hex");
    return JSON.stringify({ signature: { timestamp, token, signature }, "event-data": eventData });
  }
  const failed = (l: Lead, severity: "permanent" | "temporary") => ({
    id: randomBytes(16).toString("base64url"),
    event: "failed",
    severity,
    reason: "bounce",
    recipient: l.email,
    timestamp: Date.now() / 1000,
    "delivery-status": {
      code: 550,
      message: "5.1.1 The email account that you tried to reach does not exist",
    },
    message: { headers: { "message-id": l.messageId.slice(1, -1), to: l.email, subject: "Step 1" } },
  });

  it("refuses a wrong signature, an old timestamp and a reused token, storing nothing", async () => {
    const l = await enrolledLead(t.ws.id);
    expect((await post("mailgun", payload(failed(l, "permanent"), { key: "wrong" }))).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect((await post("mailgun", payload(failed(l, "permanent"), { timestamp: old }))).status).toBe(401);
    expect(await eventsOf(l)).toEqual([]);
    await expectUntouched(l, t.ws.id);

    const token = randomBytes(25).toString("hex");
    const first = payload({ id: "x1", event: "delivered", message: { headers: {} } }, { token });
    expect((await post("mailgun", first)).status).toBe(200);
    // the same signed token with another event: a replay
    const replay = payload(failed(l, "permanent"), { token });
    expect((await post("mailgun", replay)).status).toBe(403);
    await expectUntouched(l, t.ws.id);
  });

  it("applies a permanent failure and a complaint", async () => {
    const a = await enrolledLead(t.ws.id);
    expect(await post("mailgun", payload(failed(a, "permanent")))).toMatchObject({
      status: 200,
      json: { applied: 1 },
    });
    await expectStopped(a, t.ws.id, "bounced");
    const [ev] = await eventsOf(a);
    expect(ev).toMatchObject({ source: "mailgun", bounceType: "hard" });
    expect(ev!.detail).toContain("550");

    const b = await enrolledLead(t.ws.id);
    await post("mailgun", payload(failed(b, "temporary")));
    await expectUntouched(b, t.ws.id);
    const complained = {
      id: randomBytes(16).toString("base64url"),
      event: "complained",
      recipient: b.email,
      timestamp: Date.now() / 1000,
      message: { headers: { "message-id": b.messageId.slice(1, -1) } },
    };
    expect((await post("mailgun", payload(complained))).status).toBe(200);
    await expectStopped(b, t.ws.id, "complained");
  });
});

describe("tenancy and foreign mail", () => {
  it("a send of workspace A changes only A, even when B has a lead with the same address", async () => {
    const email = `shared-${randomUUID().slice(0, 6)}@example.test`;
    const a = await enrolledLead(t.ws.id, email);
    const b = await enrolledLead(t.other.id, email);
    const msg = signSns(snsNotification(sesBounce(a, "Permanent")));
    expect((await postSns(msg)).status).toBe(200);
    await expectStopped(a, t.ws.id, "bounced");
    await expectUntouched(b, t.other.id);
    expect(await eventsOf(b)).toEqual([]);
  });

  it("ignores mail this instance did not send, storing nothing and saying so", async () => {
    const before = await allEvents();
    const foreign = {
      notificationType: "Bounce",
      bounce: { bounceType: "Permanent", bouncedRecipients: [{ emailAddress: "x@example.test" }] },
      mail: { commonHeaders: { messageId: `<${randomUUID()}@elsewhere.example>` }, headers: [] },
    };
    const res = await postSns(signSns(snsNotification(foreign)));
    expect(res).toMatchObject({ status: 200, json: { applied: 0, notOurs: 1 } });
    expect(res.json.note).toMatch(/not a message this instance sent/i);
    const notUuid = { ...foreign, mail: { commonHeaders: { messageId: "<CAF=abc@mail.gmail.com>" } } };
    expect((await postSns(signSns(snsNotification(notUuid)))).json).toMatchObject({ notOurs: 1 });
    expect(await allEvents()).toBe(before);
  });
});

describe("the synchronous SMTP rejection follows the same rule", () => {
  it("bounces the lead, suppresses the address and exits its sequences", async () => {
    const l = await enrolledLead(t.ws.id);
    await db
      .update(emailSends)
      .set({ status: "sending", claimedAt: new Date() })
      .where(eq(emailSends.id, l.sendId));
    await recordOutcomes(db, [
      {
        id: l.sendId,
        workspaceId: t.ws.id,
        kind: "bounced",
        error: "550 5.1.1 <x>: Recipient address rejected",
      },
    ]);
    expect((await sendRow(l.sendId)).status).toBe("bounced");
    await expectStopped(l, t.ws.id, "bounced");
    const [ev] = await eventsOf(l);
    expect(ev).toMatchObject({ type: "bounce", bounceType: "hard", source: "smtp" });
  });
});

describe("applyDeliveryReport", () => {
  it("ignores a send id that does not exist or is not a uuid", async () => {
    await expect(
      applyDeliveryReport(db, { sendId: randomUUID(), kind: "bounce", source: "imap" }),
    ).resolves.toEqual({
      applied: false,
      workspaceId: null,
      leadId: null,
    });
    await expect(
      applyDeliveryReport(db, { sendId: "nope'; drop", kind: "complaint", source: "imap" }),
    ).resolves.toMatchObject({
      applied: false,
    });
  });

  it("leaves an unsubscribed lead unsubscribed on a bounce but marks a complaint", async () => {
    const l = await enrolledLead(t.ws.id);
    await db.update(leads).set({ status: "unsubscribed" }).where(eq(leads.id, l.leadId));
    await applyDeliveryReport(db, { sendId: l.sendId, kind: "bounce", bounceType: "hard", source: "imap" });
    expect((await leadRow(l)).status).toBe("unsubscribed");
    expect(await suppressionsOf(t.ws.id, l.email)).toHaveLength(1);
    await applyDeliveryReport(db, { sendId: l.sendId, kind: "complaint", source: "imap" });
    expect((await leadRow(l)).status).toBe("complained");
  });
});

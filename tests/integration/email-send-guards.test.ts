import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import {
  emailCampaigns,
  emailSends,
  leads,
  notifications,
  senderDomains,
  users,
  workspaces,
} from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { runSender } from "@/server/services/email/sender";
import { startDueScheduledCampaigns } from "@/server/services/email/start";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { addMember, callerFor, createUser, createWorkspace } from "../helpers/fixtures";
import { recordingQueue } from "../helpers/queues";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";
import { fixtureNodeArgs, workerNodeArgs } from "../helpers/server-build";
import { call, setupRest } from "./rest-helpers";

/**
 * Security issue #12, items 6 and 8: what has to be true before campaign mail leaves the server.
 * Production needs an https APP_URL (the links in every campaign are built from it); a campaign's
 * From domain must be verified by the workspace through DNS (or be the operator's EMAIL_FROM
 * domain); test sends reach only members' verified addresses, a limited number per hour. Mail kept
 * in the in-app outbox leaves nothing and needs none of it.
 */
const { h, f, keyA } = await setupRest();
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const noQueue = recordingQueue();

let sink: SmtpSink;

const SENDER = {
  fromName: "Guarded Co",
  fromEmail: "news@guarded.example",
  replyTo: "",
  postalAddress: "1 Guard Street, Springfield 12345, USA",
  sendRatePerSecond: 0,
};

beforeAll(async () => {
  setQueue(noQueue);
  sink = await startSmtpSink();
});

afterAll(async () => {
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

/** Runs `fn` with these variables set (undefined = unset), then puts the environment back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
    resetEnvCache();
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}
// Production with PostgreSQL needs the shared signing secret (lib/secrets.ts).
const production = (appUrl?: string) => ({
  NODE_ENV: "production",
  APP_URL: appUrl,
  BETTER_AUTH_SECRET: "guards-test-secret-0123456789-0123456789",
});

async function configure(workspaceId: string, p: { smtp: boolean; fromEmail?: string }) {
  const settings = {
    sender: { ...SENDER, fromEmail: p.fromEmail ?? SENDER.fromEmail },
    ...(p.smtp ? { smtp: { url: sink.url } } : {}),
  };
  await db
    .update(workspaces)
    .set({ settings: sql`(${workspaces.settings} - 'smtp') || ${JSON.stringify(settings)}::jsonb` })
    .where(eq(workspaces.id, workspaceId));
  closeTransports();
}

async function newWorkspace(p: { smtp: boolean; fromEmail?: string }) {
  const owner = await createUser(db, { name: "Guard owner", emailVerified: false });
  const ws = await createWorkspace(db, owner, { name: "Guarded" });
  await configure(ws.id, p);
  const tag = `g-${randomUUID().slice(0, 6)}`;
  await db
    .insert(leads)
    .values([1, 2].map((i) => ({ workspaceId: ws.id, email: `lead${i}-${tag}@example.test`, tags: [tag] })));
  return { owner, ws, tag };
}

const step = { subject: "Hello {{name|there}}", body: "Hi — [read](https://example.com/read)" };

async function campaign(
  owner: SessionUser,
  workspaceId: string,
  type: "one-time" | "sequence" | "triggered",
  extra: Record<string, unknown> = {},
) {
  return callerFor(db, owner).email.campaigns.create({
    workspaceId,
    type,
    name: `${type} ${randomUUID().slice(0, 6)}`,
    steps: [step],
    ...(type === "triggered" ? { trigger: { event: "lead.created" } } : {}),
    ...extra,
  });
}

const statusOf = async (id: string) =>
  (await db.select({ s: emailCampaigns.status }).from(emailCampaigns).where(eq(emailCampaigns.id, id)))[0]!.s;
const sendsOf = async (id: string) => db.select().from(emailSends).where(eq(emailSends.campaignId, id));

describe("item 6: production sends campaigns only with an https APP_URL", () => {
  it("refuses to start a one-time send, a sequence or a triggered campaign, over tRPC and REST, saying to set APP_URL", async () => {
    const g = await newWorkspace({ smtp: true });
    await verifySenderDomainThroughDns(db, dns, g.ws.id, "guarded.example");
    const c = callerFor(db, g.owner).email.campaigns;
    const one = await campaign(g.owner, g.ws.id, "one-time");
    const seq = await campaign(g.owner, g.ws.id, "sequence");
    const trig = await campaign(g.owner, g.ws.id, "triggered");
    const refusal = { code: "PRECONDITION_FAILED", message: expect.stringContaining("set APP_URL") };
    for (const appUrl of [undefined, "http://marketing.example.com"]) {
      await withEnv(production(appUrl), async () => {
        await expect(c.sendNow({ workspaceId: g.ws.id, id: one.id })).rejects.toMatchObject(
          appUrl ? { code: "PRECONDITION_FAILED", message: expect.stringContaining("not https") } : refusal,
        );
        await expect(c.activate({ workspaceId: g.ws.id, id: seq.id })).rejects.toMatchObject({
          code: "PRECONDITION_FAILED",
        });
        await expect(c.activate({ workspaceId: g.ws.id, id: trig.id })).rejects.toMatchObject({
          code: "PRECONDITION_FAILED",
        });
        await expect(
          c.schedule({ workspaceId: g.ws.id, id: one.id, sendAt: new Date(Date.now() + 3600_000) }),
        ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
        // Settings → Sending and the send dialog read the same reason beforehand.
        const ready = await callerFor(db, g.owner).email.sender.readiness({ workspaceId: g.ws.id });
        expect(ready.transport).toBe("smtp");
        expect(ready.problems).toEqual([expect.stringContaining("APP_URL")]);
      });
    }
    for (const id of [one.id, seq.id, trig.id]) {
      expect(await statusOf(id)).toBe("draft");
      expect(await sendsOf(id)).toHaveLength(0);
    }

    // with https it starts
    await withEnv(production("https://marketing.example.com"), async () => {
      expect(
        (await callerFor(db, g.owner).email.sender.readiness({ workspaceId: g.ws.id })).problems,
      ).toEqual([]);
      expect((await c.sendNow({ workspaceId: g.ws.id, id: one.id })).queued).toBe(2);
      expect((await c.activate({ workspaceId: g.ws.id, id: seq.id })).status).toBe("active");
    });
  });

  it("REST campaigns/{id}/send answers 412 with the reason and queues nothing", async () => {
    await configure(f.ws.id, { smtp: true });
    await verifySenderDomainThroughDns(db, dns, f.ws.id, "guarded.example");
    const created = await call("POST", "/campaigns", {
      key: keyA,
      body: { type: "one-time", name: "REST guarded", steps: [step] },
    });
    expect(created.status).toBe(201);
    await withEnv(production(undefined), async () => {
      const refused = await call("POST", `/campaigns/${created.body.id}/send`, { key: keyA });
      expect(refused.status).toBe(412);
      expect(refused.contentType).toContain("application/problem+json");
      expect(refused.body.detail).toContain("set APP_URL");
    });
    expect(await statusOf(created.body.id)).toBe("draft");
    expect(await sendsOf(created.body.id)).toHaveLength(0);
  });

  it("the scheduler puts a due campaign back to draft and tells the workspace why", async () => {
    const g = await newWorkspace({ smtp: true });
    await verifySenderDomainThroughDns(db, dns, g.ws.id, "guarded.example");
    const one = await campaign(g.owner, g.ws.id, "one-time");
    await db
      .update(emailCampaigns)
      .set({ status: "scheduled", schedule: { sendAt: new Date(Date.now() - 1000).toISOString() } })
      .where(eq(emailCampaigns.id, one.id));
    await withEnv(production(undefined), () => startDueScheduledCampaigns(db));
    expect(await statusOf(one.id)).toBe("draft");
    const notes = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.workspaceId, g.ws.id), eq(notifications.kind, "campaign.failed")));
    expect(notes[0]?.body).toContain("APP_URL");
  });

  it("mail already queued waits while APP_URL is missing, and goes once it is set", async () => {
    const g = await newWorkspace({ smtp: true });
    await verifySenderDomainThroughDns(db, dns, g.ws.id, "guarded.example");
    const one = await campaign(g.owner, g.ws.id, "one-time");
    await callerFor(db, g.owner).email.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id });
    const before = sink.received.length;
    const held = await withEnv(production(undefined), () =>
      runSender(db, { workspaceId: g.ws.id, deadline: Date.now() + 10_000 }),
    );
    expect(held.claimed).toBe(0);
    expect(sink.received.length).toBe(before);
    expect((await sendsOf(one.id)).map((s) => s.status)).toEqual(["pending", "pending"]);
    const sent = await withEnv(production("https://marketing.example.com"), () =>
      runSender(db, { workspaceId: g.ws.id, deadline: Date.now() + 10_000 }),
    );
    expect(sent.sent).toBe(2);
    const raw = sink.received.at(-1)!.raw.toString("utf8");
    expect(raw).toMatch(/^List-Unsubscribe:\s+<https:\/\/marketing\.example\.com\/api\/unsubscribe\//m);
  });

  it("the in-app outbox (no mail server) and test sends are not held: nothing reaches a reader", async () => {
    const g = await newWorkspace({ smtp: false, fromEmail: "news@never-verified.example" });
    await db.update(users).set({ emailVerified: true }).where(eq(users.id, g.owner.id));
    const one = await campaign(g.owner, g.ws.id, "one-time");
    await withEnv(production(undefined), async () => {
      const c = callerFor(db, g.owner);
      expect((await c.email.sender.readiness({ workspaceId: g.ws.id })).problems).toEqual([]);
      expect((await c.email.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id })).queued).toBe(2);
      expect((await runSender(db, { workspaceId: g.ws.id, deadline: Date.now() + 10_000 })).sent).toBe(2);
      const test = await c.email.campaigns.sendTest({ workspaceId: g.ws.id, to: g.owner.email, step });
      expect(test.delivered).toBe(false);
    });
  });

  it("the web process and the worker log a warning at boot without an https APP_URL", async () => {
    /** What a process started with these node arguments logs, until it exits. */
    const run = (args: string[], extra: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, args, {
          env: {
            PATH: process.env.PATH ?? "",
            NODE_ENV: "production",
            LOG_LEVEL: "warn",
            ENCRYPTION_KEY: "1".repeat(64),
            BETTER_AUTH_SECRET: "guards-test-secret-0123456789-0123456789",
            ...extra,
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("exit", () => resolve(out));
      });
    const deadDb = { DATABASE_URL: "postgres://postgres@127.0.0.1:9/none", REDIS_URL: "redis://127.0.0.1:9" };
    // boot(): the database is unreachable (it logs that and goes on), Redis is "set" so no jobs start.
    const web = await run(fixtureNodeArgs("boot-once"), deadDb);
    expect(web).toMatch(/"level":40.*set APP_URL/);
    const webOk = await run(fixtureNodeArgs("boot-once"), {
      ...deadDb,
      APP_URL: "https://marketing.example.com",
    });
    expect(webOk).not.toContain("APP_URL");
    // The worker warns before it needs anything else (here it then stops: no REDIS_URL).
    const worker = await run(workerNodeArgs(), { APP_URL: "http://marketing.example.com" });
    expect(worker).toMatch(/"level":40.*not https/);
  }, 60_000);
});

describe("item 8: sender domains verified through DNS", () => {
  it("adds a domain (normalised), publishes the record to add, refuses what is not a domain", async () => {
    const g = await newWorkspace({ smtp: true });
    const c = callerFor(db, g.owner).email.sender;
    const d = await c.addDomain({ workspaceId: g.ws.id, domain: " Mail.Guarded.Example. " });
    expect(d).toMatchObject({
      domain: "mail.guarded.example",
      status: "pending",
      verifiedAt: null,
      record: { type: "TXT", name: "_organic.mail.guarded.example" },
    });
    expect(d.record.value).toMatch(/^organic-verification=[0-9a-f]{32}$/);
    const idn = await c.addDomain({ workspaceId: g.ws.id, domain: "bücher.example" });
    expect(idn.domain).toBe("xn--bcher-kva.example");
    await expect(c.addDomain({ workspaceId: g.ws.id, domain: "MAIL.guarded.example" })).rejects.toMatchObject(
      {
        code: "CONFLICT",
      },
    );
    for (const bad of [
      "news@guarded.example",
      "https://guarded.example/",
      "guarded",
      "192.168.1.20",
      "localhost",
      "guarded.example:25",
      "-bad.example",
      "",
    ]) {
      await expect(c.addDomain({ workspaceId: g.ws.id, domain: bad })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    expect((await c.domains({ workspaceId: g.ws.id })).map((x) => x.domain)).toEqual([
      "mail.guarded.example",
      "xn--bcher-kva.example",
    ]);
    // another workspace sees none of it and cannot act on it
    const other = callerFor(db, f.otherOwner).email.sender;
    await expect(other.domains({ workspaceId: g.ws.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.verifyDomain({ workspaceId: f.other.id, id: d.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(other.removeDomain({ workspaceId: f.other.id, id: d.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("Verify checks the TXT record: missing, another token, unreachable DNS, found (split strings), taken down", async () => {
    const g = await newWorkspace({ smtp: true });
    const c = callerFor(db, g.owner).email.sender;
    const d = await c.addDomain({ workspaceId: g.ws.id, domain: "proof.example" });
    const verify = () => c.verifyDomain({ workspaceId: g.ws.id, id: d.id });

    const missing = await verify();
    expect(missing).toMatchObject({ status: "failed", verifiedAt: null });
    expect(missing.lastError).toContain("No TXT record at _organic.proof.example");
    expect(dns.queries.some((q) => q.name === "_organic.proof.example")).toBe(true);

    dns.setTxt("_organic.proof.example", "v=spf1 -all", "organic-verification=0000");
    const wrong = await verify();
    expect(wrong.status).toBe("failed");
    expect(wrong.lastError).toContain("another token");

    // long values come as several character-strings: they form one value
    const value = d.record.value;
    dns.setTxt("_organic.proof.example", [value.slice(0, 20), value.slice(20)]);
    const ok = await verify();
    expect(ok.status).toBe("verified");
    expect(ok.verifiedAt).toBeInstanceOf(Date);
    expect(ok.lastError).toBeNull();

    // DNS unreachable: nothing changes but the reason
    await withEnv({ DNS_SERVERS: "127.0.0.1:9" }, async () => {
      const unreachable = await verify();
      expect(unreachable).toMatchObject({ status: "verified", verifiedAt: ok.verifiedAt });
      expect(unreachable.lastError).toContain("try again");
    });

    // the record is taken down: the next check un-verifies it
    dns.removeTxt("_organic.proof.example");
    expect(await verify()).toMatchObject({ status: "failed", verifiedAt: null });
  });

  it("a one-time send, a sequence and a campaign's own From need a verified domain; subdomains and EMAIL_FROM's domain count", async () => {
    const g = await newWorkspace({ smtp: true, fromEmail: "news@unproven.example" });
    const c = callerFor(db, g.owner).email;
    const one = await campaign(g.owner, g.ws.id, "one-time");
    const seq = await campaign(g.owner, g.ws.id, "sequence");
    await expect(c.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("unproven.example, which this workspace hasn't verified"),
    });
    await expect(c.campaigns.activate({ workspaceId: g.ws.id, id: seq.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect(await sendsOf(one.id)).toHaveLength(0);
    expect((await c.sender.readiness({ workspaceId: g.ws.id })).sender).toMatchObject({
      domain: "unproven.example",
      verifiedBy: null,
    });

    // verifying the parent domain covers news@mail.unproven.example too
    await verifySenderDomainThroughDns(db, dns, g.ws.id, "unproven.example");
    await configure(g.ws.id, { smtp: true, fromEmail: "news@mail.unproven.example" });
    expect((await c.sender.readiness({ workspaceId: g.ws.id })).sender?.verifiedBy).toBe("dns");

    // a campaign's own From is checked as well
    const own = await campaign(g.owner, g.ws.id, "one-time", {
      sender: { fromName: "", fromEmail: "ceo@bank.example", replyTo: "" },
    });
    await expect(c.campaigns.sendNow({ workspaceId: g.ws.id, id: own.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("bank.example"),
    });
    expect((await c.sender.readiness({ workspaceId: g.ws.id, campaignId: own.id })).problems).toHaveLength(1);

    expect((await c.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id })).queued).toBe(2);
    expect((await c.campaigns.activate({ workspaceId: g.ws.id, id: seq.id })).status).toBe("active");
    expect(
      (await runSender(db, { workspaceId: g.ws.id, deadline: Date.now() + 10_000 })).sent,
    ).toBeGreaterThan(0);

    // the operator's own sender domain needs no DNS proof
    const op = await newWorkspace({ smtp: true, fromEmail: "hello@operator.example" });
    const opOne = await campaign(op.owner, op.ws.id, "one-time");
    await expect(
      callerFor(db, op.owner).email.campaigns.sendNow({ workspaceId: op.ws.id, id: opOne.id }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await withEnv({ EMAIL_FROM: "Operator <no-reply@operator.example>" }, async () => {
      const ready = await callerFor(db, op.owner).email.sender.readiness({ workspaceId: op.ws.id });
      expect(ready.sender?.verifiedBy).toBe("operator");
      expect(
        (await callerFor(db, op.owner).email.campaigns.sendNow({ workspaceId: op.ws.id, id: opOne.id }))
          .queued,
      ).toBe(2);
    });
  });

  it("the From changed to an unverified domain mid-campaign: nothing is sent, the campaigns pause and say why", async () => {
    const g = await newWorkspace({ smtp: true });
    await verifySenderDomainThroughDns(db, dns, g.ws.id, "guarded.example");
    const c = callerFor(db, g.owner).email;
    const one = await campaign(g.owner, g.ws.id, "one-time");
    const seq = await campaign(g.owner, g.ws.id, "sequence");
    await c.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id });
    await c.campaigns.activate({ workspaceId: g.ws.id, id: seq.id });
    await c.sender.update({ workspaceId: g.ws.id, ...SENDER, fromEmail: "support@bank.example" });
    const before = sink.received.length;
    const run = await runSender(db, { workspaceId: g.ws.id, deadline: Date.now() + 10_000 });
    expect(run.claimed).toBe(0);
    expect(sink.received.length).toBe(before);
    expect(await statusOf(one.id)).toBe("paused");
    expect(await statusOf(seq.id)).toBe("paused");
    const [note] = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.workspaceId, g.ws.id), eq(notifications.userId, g.owner.id)));
    expect(note?.body).toContain("bank.example");
    await expect(c.campaigns.resume({ workspaceId: g.ws.id, id: one.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    // removing the verified domain has the same effect
    await c.sender.update({ workspaceId: g.ws.id, ...SENDER });
    expect((await c.campaigns.resume({ workspaceId: g.ws.id, id: one.id })).status).toBe("sending");
    const [domain] = await db.select().from(senderDomains).where(eq(senderDomains.workspaceId, g.ws.id));
    await c.sender.removeDomain({ workspaceId: g.ws.id, id: domain!.id });
    expect((await runSender(db, { workspaceId: g.ws.id, deadline: Date.now() + 10_000 })).claimed).toBe(0);
    expect(await statusOf(one.id)).toBe("paused");
    expect(sink.received.length).toBe(before);
  });

  it("with no mail server (outbox) nothing needs verifying", async () => {
    const g = await newWorkspace({ smtp: false, fromEmail: "news@anything.example" });
    const one = await campaign(g.owner, g.ws.id, "one-time");
    const c = callerFor(db, g.owner).email;
    expect(await c.sender.readiness({ workspaceId: g.ws.id })).toMatchObject({
      transport: "outbox",
      problems: [],
      sender: { verifiedBy: null },
    });
    expect((await c.campaigns.sendNow({ workspaceId: g.ws.id, id: one.id })).queued).toBe(2);
  });
});

describe("item 8: test sends", () => {
  it("go only to members of this workspace with a verified address (over SMTP)", async () => {
    const g = await newWorkspace({ smtp: true });
    const member = await addMember(db, g.ws.id, "member", await createUser(db, { emailVerified: false }));
    const c = callerFor(db, member.user).email.campaigns;
    const send = (to: string) => c.sendTest({ workspaceId: g.ws.id, to, step });
    const before = sink.received.length;
    for (const to of ["victim@bank.example", f.otherOwner.email]) {
      await expect(send(to)).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("only to members of this workspace"),
      });
    }
    await expect(send(g.owner.email)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("isn't verified"),
    });
    expect(sink.received.length).toBe(before);
    expect((await c.testRecipients({ workspaceId: g.ws.id })).recipients).toEqual(
      expect.arrayContaining([
        { email: g.owner.email, name: "Guard owner", you: false, allowed: false },
        { email: member.user.email, name: member.user.name, you: true, allowed: false },
      ]),
    );

    await db.update(users).set({ emailVerified: true }).where(eq(users.id, g.owner.id));
    // A test needs no verified From domain: it only reaches the team.
    expect((await send(g.owner.email.toUpperCase())).delivered).toBe(true);
    expect(sink.for(g.owner.email)).toHaveLength(1);
    expect(sink.received.length).toBe(before + 1);
  });

  it("are limited per user and per workspace each hour (429)", async () => {
    const g = await newWorkspace({ smtp: false });
    const a = await addMember(db, g.ws.id, "member");
    const b = await addMember(db, g.ws.id, "member");
    await withEnv(
      { EMAIL_TEST_SENDS_PER_USER_PER_HOUR: "2", EMAIL_TEST_SENDS_PER_WORKSPACE_PER_HOUR: "3" },
      async () => {
        const as = (u: SessionUser) => (to: string) =>
          callerFor(db, u).email.campaigns.sendTest({ workspaceId: g.ws.id, to, step });
        await as(a.user)(a.user.email);
        await as(a.user)(g.owner.email);
        await expect(as(a.user)(a.user.email)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
        await as(b.user)(b.user.email);
        // the workspace's 3 are spent: b is refused too, though b sent only one
        await expect(as(b.user)(b.user.email)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
        // a refused address spends nothing
        const other = await newWorkspace({ smtp: false });
        await expect(
          callerFor(db, other.owner).email.campaigns.sendTest({
            workspaceId: other.ws.id,
            to: "x@bank.example",
            step,
          }),
        ).rejects.toMatchObject({ code: "BAD_REQUEST" });
        await callerFor(db, other.owner).email.campaigns.sendTest({
          workspaceId: other.ws.id,
          to: other.owner.email,
          step,
        });
      },
    );
  });
});

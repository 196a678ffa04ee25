import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { eq, sql } from "drizzle-orm";
import { dkimVerify } from "mailauth/lib/dkim/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { decryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import {
  activityLogs,
  campaignSteps,
  emailCampaigns,
  leads,
  senderDomains,
  workspaces,
} from "@/server/db/schema";
import { type QueueAdapter, setQueue } from "@/server/queue";
import { systemActor } from "@/server/services/context";
import { runSender } from "@/server/services/email/sender";
import { spfAdvice } from "@/server/services/email/sender-domain-records";
import { startCampaignSend } from "@/server/services/email/start";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { startDnsStandInForFile } from "../helpers/sender-domains";

/**
 * Issue 19 point 3: a sender domain's whole DNS setup. Adding a domain makes its own DKIM key; the
 * settings page lists every record to add (verification, DKIM, SPF, DMARC); "Check records" looks
 * each up through the resolver DNS_SERVERS points at (here a dns2 stand-in) and says ok, missing or
 * wrong; campaign mail from a domain whose DKIM record checked ok is signed with its key, and the
 * signature verifies with mailauth against the stand-in's record.
 */
const h = await setupTestDb();
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const noQueue: QueueAdapter = {
  kind: "inline",
  async enqueue(_d, _p, opts) {
    return { jobId: opts?.jobId ?? randomUUID() };
  },
  async enqueueMany() {},
  async repeat() {},
  async health() {
    return "ok";
  },
  async close() {},
};

let sink: SmtpSink;
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  setQueue(noQueue);
  sink = await startSmtpSink();
  f = await twoWorkspaces(db);
});

afterAll(async () => {
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

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

async function configure(workspaceId: string, fromEmail: string) {
  const settings = {
    sender: {
      fromName: "Signed Co",
      fromEmail,
      replyTo: "",
      postalAddress: "1 Key Street, Springfield 12345, USA",
      sendRatePerSecond: 0,
    },
    smtp: { url: sink.url },
  };
  await db
    .update(workspaces)
    .set({ settings: sql`(${workspaces.settings} - 'smtp') || ${JSON.stringify(settings)}::jsonb` })
    .where(eq(workspaces.id, workspaceId));
  closeTransports();
}

async function sendOne(workspaceId: string) {
  const email = `lead-${randomUUID().slice(0, 8)}@example.test`;
  const tag = `t-${randomUUID().slice(0, 6)}`;
  await db.insert(leads).values({ workspaceId, email, name: "Ada", tags: [tag] });
  const [c] = await db
    .insert(emailCampaigns)
    .values({
      workspaceId,
      name: tag,
      type: "one-time",
      content: {},
      segmentCriteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
    })
    .returning();
  await db
    .insert(campaignSteps)
    .values({ workspaceId, campaignId: c!.id, position: 0, subject: "Hello {{name}}", body: "Hi {{name}}." });
  await startCampaignSend({ db, workspaceId, actor: systemActor }, c!.id);
  await runSender(db, { workspaceId, deadline: Date.now() + 20_000 });
  const [mail] = sink.for(email);
  expect(mail).toBeDefined();
  return mail!.raw;
}

/** mailauth asking the DNS stand-in, as a receiving server asks the real DNS. */
async function verifyDkim(raw: Buffer) {
  const r = new Resolver();
  r.setServers([dns.address]);
  return dkimVerify(raw, { resolver: (name: string, rr: string) => r.resolve(name, rr) } as never);
}

const byKind = <T extends { kind: string }>(records: T[], kind: string) =>
  records.find((r) => r.kind === kind)!;

describe("adding a domain", () => {
  it("makes its own DKIM key and lists every record to add; the private key never comes back", async () => {
    await configure(f.ws.id, "news@records.example");
    const d = await callerFor(db, f.admin).email.sender.addDomain({
      workspaceId: f.ws.id,
      domain: "records.example",
    });
    expect(d.records.map((r) => r.kind)).toEqual(["verification", "dkim", "spf", "dmarc"]);
    expect(byKind(d.records, "verification")).toMatchObject({
      required: true,
      name: "_organic.records.example",
      value: d.record.value,
    });
    const dkim = byKind(d.records, "dkim");
    expect(d.dkim).toMatchObject({ signing: false });
    expect(d.dkim!.selector).toMatch(/^organic-[0-9a-f]{6}$/);
    expect(dkim.name).toBe(`${d.dkim!.selector}._domainkey.records.example`);
    expect(dkim.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    // longer than one DNS string: the split form is ≤255-character quoted strings making the value
    const parts = [...dkim.split!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 255)).toBe(true);
    expect(parts.join("")).toBe(dkim.value);
    expect(byKind(d.records, "spf").value).toBe("v=spf1 include:<your mail provider> ~all");
    expect(byKind(d.records, "dmarc")).toMatchObject({
      name: "_dmarc.records.example",
      value: "v=DMARC1; p=none; rua=mailto:dmarc@records.example",
    });
    expect(d.records.every((r) => r.check === null)).toBe(true);
    expect(JSON.stringify(d)).not.toMatch(/PRIVATE KEY/);
    expect(
      JSON.stringify(await callerFor(db, f.viewer).email.sender.domains({ workspaceId: f.ws.id })),
    ).not.toMatch(/PRIVATE KEY/);

    // the stored private half is sealed, and it is the key of the published public half: RSA 2048
    const [row] = await db.select().from(senderDomains).where(eq(senderDomains.id, d.id));
    expect(row!.dkimPrivateKeySealed).not.toMatch(/PRIVATE KEY/);
    const key = createPrivateKey(decryptSecret(row!.dkimPrivateKeySealed!));
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const pub = createPublicKey(key).export({ format: "der", type: "spki" }).toString("base64");
    expect(dkim.value).toBe(`v=DKIM1; k=rsa; p=${pub}`);
  });

  it("advises the SPF include of the mail server: SPF_INCLUDE for the operator's, a known provider's, Gmail's", async () => {
    expect(spfAdvice({ kind: "smtp", options: { host: "smtp.sendgrid.net" }, label: "" }).value).toBe(
      "v=spf1 include:sendgrid.net ~all",
    );
    expect(
      spfAdvice({ kind: "smtp", options: { host: "email-smtp.eu-west-1.amazonaws.com" }, label: "" })
        .mechanisms,
    ).toEqual(["include:amazonses.com"]);
    expect(spfAdvice({ kind: "gmail" }).mechanisms).toEqual(["include:_spf.google.com"]);
    expect(spfAdvice({ kind: "outbox" }).mechanisms).toEqual([]);
    await withEnv(
      {
        SMTP_URL: "smtp://mail.operator.example:587",
        SPF_INCLUDE: "include:_spf.operator.example ip4:203.0.113.5",
      },
      async () => {
        expect(spfAdvice({ kind: "smtp", options: { host: "mail.operator.example" }, label: "" }).value).toBe(
          "v=spf1 include:_spf.operator.example ip4:203.0.113.5 ~all",
        );
        // another server than the operator's: not the operator's advice
        expect(
          spfAdvice({ kind: "smtp", options: { host: "smtp.other.example" }, label: "" }).mechanisms,
        ).toEqual([]);
      },
    );
  });
});

describe("Check records", () => {
  it("says missing, wrong or ok for each record, keeps what it found, and only verification decides sending", async () => {
    const owner = callerFor(db, f.owner);
    const d = await owner.email.sender.addDomain({ workspaceId: f.ws.id, domain: "check.example" });
    const check = () => owner.email.sender.verifyDomain({ workspaceId: f.ws.id, id: d.id });
    const dkim = byKind(d.records, "dkim");

    // nothing published
    const none = await check();
    expect(none.status).toBe("failed");
    for (const kind of ["verification", "dkim", "spf", "dmarc"]) {
      expect(byKind(none.records, kind).check).toMatchObject({ status: "missing", found: [] });
    }
    expect(none.dkim?.signing).toBe(false);

    // wrong: another token, another key, two SPF records, a DMARC record without a policy
    const other = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
    const otherP = other.export({ format: "der", type: "spki" }).toString("base64");
    dns.setTxt("_organic.check.example", "organic-verification=0000");
    dns.setTxt(dkim.name, `v=DKIM1; k=rsa; p=${otherP}`);
    dns.setTxt(
      "check.example",
      "v=spf1 include:a.example ~all",
      "v=spf1 mx -all",
      "google-site-verification=x",
    );
    dns.setTxt("_dmarc.check.example", "v=DMARC1; rua=mailto:x@check.example");
    const wrong = await check();
    expect(wrong.status).toBe("failed");
    expect(byKind(wrong.records, "verification").check).toMatchObject({
      status: "wrong",
      found: ["organic-verification=0000"],
    });
    expect(byKind(wrong.records, "dkim").check).toMatchObject({
      status: "wrong",
      found: [`v=DKIM1; k=rsa; p=${otherP}`],
    });
    expect(byKind(wrong.records, "spf").check).toMatchObject({
      status: "wrong",
      found: ["v=spf1 include:a.example ~all", "v=spf1 mx -all"],
    });
    expect(byKind(wrong.records, "spf").check!.message).toContain("Merge them into one");
    expect(byKind(wrong.records, "dmarc").check).toMatchObject({ status: "wrong" });
    expect(byKind(wrong.records, "dmarc").check!.message).toContain("no valid policy");

    // SPF: one record, but the operator's server needs an include it doesn't have
    dns.setTxt("check.example", "v=spf1 include:a.example ~all");
    await withEnv({ SMTP_URL: sink.url, SPF_INCLUDE: "include:_spf.operator.example" }, async () => {
      const spf = byKind((await check()).records, "spf");
      expect(spf.value).toBe("v=spf1 include:_spf.operator.example ~all");
      expect(spf.check).toMatchObject({
        status: "wrong",
        message: expect.stringContaining("include:_spf.operator.example"),
      });
      dns.setTxt("check.example", "v=spf1 include:a.example include:_spf.operator.example ~all");
      expect(byKind((await check()).records, "spf").check).toMatchObject({ status: "ok" });
    });

    // all ok — the DKIM record published as two strings, as DNS stores a long value
    dns.setTxt("_organic.check.example", d.record.value);
    dns.setTxt(dkim.name, [dkim.value.slice(0, 255), dkim.value.slice(255)]);
    dns.setTxt("check.example", "v=spf1 include:a.example ~all");
    dns.setTxt("_dmarc.check.example", "v=DMARC1; p=quarantine; rua=mailto:dmarc@check.example");
    const ok = await check();
    expect(ok.status).toBe("verified");
    for (const kind of ["verification", "dkim", "spf", "dmarc"]) {
      expect(byKind(ok.records, kind).check?.status).toBe("ok");
    }
    expect(byKind(ok.records, "dmarc").check).toMatchObject({ policy: "quarantine" });
    expect(ok.dkim?.signing).toBe(true);
    // stored on the row
    const [row] = await db.select().from(senderDomains).where(eq(senderDomains.id, d.id));
    expect(row!.recordChecks).toMatchObject({
      dkim: { status: "ok", selector: d.dkim!.selector },
      spf: { status: "ok" },
      dmarc: { status: "ok", policy: "quarantine" },
    });

    // DKIM missing alone doesn't stop sending: still verified, not signing
    dns.removeTxt(dkim.name);
    const noDkim = await check();
    expect(noDkim.status).toBe("verified");
    expect(byKind(noDkim.records, "dkim").check?.status).toBe("missing");
    expect(noDkim.dkim?.signing).toBe(false);

    // DNS unreachable: every last check stays as it was
    dns.setTxt(dkim.name, [dkim.value.slice(0, 255), dkim.value.slice(255)]);
    expect((await check()).dkim?.signing).toBe(true);
    await withEnv({ DNS_SERVERS: "127.0.0.1:9" }, async () => {
      const down = await check();
      expect(down).toMatchObject({ status: "verified", dkim: { signing: true } });
      expect(byKind(down.records, "dmarc").check?.status).toBe("ok");
      expect(down.lastError).toContain("try again");
    });
  });
});

describe("DKIM signing with the domain's key", () => {
  it("signs mail from the domain and its subdomains (d= the domain) once its record checked ok; rotation falls back until the new one does", async () => {
    const admin = callerFor(db, f.owner);
    await configure(f.ws.id, "news@signed.example");
    // an older workspace-wide key exists: the domain's own key wins over it
    const legacy = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const legacyView = await admin.email.sender.updateDkim({
      workspaceId: f.ws.id,
      domain: "signed.example",
      selector: "legacy",
      privateKey: legacy.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    });
    // a TXT character-string holds 255 bytes: a long value is published as several
    dns.setTxt(legacyView.dnsName, [legacyView.dnsValue.slice(0, 255), legacyView.dnsValue.slice(255)]);

    const d = await admin.email.sender.addDomain({ workspaceId: f.ws.id, domain: "signed.example" });
    const dkim = byKind(d.records, "dkim");
    dns.setTxt("_organic.signed.example", d.record.value);
    // verified, DKIM record not published yet: the workspace key signs
    expect((await admin.email.sender.verifyDomain({ workspaceId: f.ws.id, id: d.id })).dkim?.signing).toBe(
      false,
    );
    const before = await verifyDkim(await sendOne(f.ws.id));
    expect(before.results[0]).toMatchObject({ selector: "legacy", status: { result: "pass" } });

    dns.setTxt(dkim.name, [dkim.value.slice(0, 255), dkim.value.slice(255)]);
    expect((await admin.email.sender.verifyDomain({ workspaceId: f.ws.id, id: d.id })).dkim?.signing).toBe(
      true,
    );
    const raw = await sendOne(f.ws.id);
    expect(raw.toString()).toMatch(new RegExp(`^DKIM-Signature:[^]*?s=${d.dkim!.selector}`, "m"));
    const result = await verifyDkim(raw);
    expect(result.results).toHaveLength(1);
    expect(result.results[0]).toMatchObject({
      signingDomain: "signed.example",
      selector: d.dkim!.selector,
      status: { result: "pass" },
    });
    // a changed byte breaks it: the check can fail
    const tampered = Buffer.from(raw.toString("utf8").replace(/^Subject: .*$/m, "Subject: changed"));
    expect((await verifyDkim(tampered)).results[0]!.status.result).toBe("fail");

    // a subdomain From is signed with d= the verified parent
    await configure(f.ws.id, "news@mail.signed.example");
    const sub = await verifyDkim(await sendOne(f.ws.id));
    expect(sub.results[0]).toMatchObject({ signingDomain: "signed.example", status: { result: "pass" } });

    // rotation: a new selector; until its record checks ok, the workspace key signs again
    await configure(f.ws.id, "news@signed.example");
    const rotated = await admin.senderDomains.rotateDkim({ workspaceId: f.ws.id, id: d.id });
    expect(rotated.dkim!.selector).not.toBe(d.dkim!.selector);
    expect(rotated.previousDkimSelector).toBe(d.dkim!.selector);
    expect(rotated.dkim!.signing).toBe(false);
    expect(byKind(rotated.records, "dkim").check).toBeNull();
    expect(byKind(rotated.records, "dkim").value).not.toBe(dkim.value);
    expect((await verifyDkim(await sendOne(f.ws.id))).results[0]).toMatchObject({ selector: "legacy" });
    const newDkim = byKind(rotated.records, "dkim");
    dns.setTxt(newDkim.name, [newDkim.value.slice(0, 255), newDkim.value.slice(255)]);
    await admin.email.sender.verifyDomain({ workspaceId: f.ws.id, id: d.id });
    expect((await verifyDkim(await sendOne(f.ws.id))).results[0]).toMatchObject({
      selector: rotated.dkim!.selector,
      status: { result: "pass" },
    });
    const actions = await db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(eq(activityLogs.workspaceId, f.ws.id));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "sender_domain.added",
        "sender_domain.dkim_rotated",
        "sender_domain.dkim_checked",
      ]),
    );
    await admin.email.sender.removeDkim({ workspaceId: f.ws.id });
  });
});

describe("who may do it", () => {
  it("viewers and members can't add, check or rotate; another workspace can't touch the domain", async () => {
    const d = await callerFor(db, f.owner).email.sender.addDomain({
      workspaceId: f.ws.id,
      domain: "roles.example",
    });
    for (const user of [f.viewer, f.member]) {
      const c = callerFor(db, user);
      await expect(
        c.email.sender.addDomain({ workspaceId: f.ws.id, domain: "x.example" }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(c.email.sender.verifyDomain({ workspaceId: f.ws.id, id: d.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(c.senderDomains.rotateDkim({ workspaceId: f.ws.id, id: d.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    // a viewer still sees the records
    expect(
      (await callerFor(db, f.viewer).email.sender.domains({ workspaceId: f.ws.id })).map((x) => x.domain),
    ).toContain("roles.example");
    const other = callerFor(db, f.otherOwner);
    await expect(other.senderDomains.rotateDkim({ workspaceId: f.other.id, id: d.id })).rejects.toMatchObject(
      {
        code: "NOT_FOUND",
      },
    );
    await expect(
      other.email.sender.verifyDomain({ workspaceId: f.other.id, id: d.id }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(other.senderDomains.rotateDkim({ workspaceId: f.ws.id, id: d.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const [row] = await db.select().from(senderDomains).where(eq(senderDomains.id, d.id));
    expect(row!.dkimSelector).toBe(d.dkim!.selector);
    expect(row!.recordChecks).toEqual({});
  });
});

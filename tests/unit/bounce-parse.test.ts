import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMailboxMessage } from "@/server/services/email/bounce-parse";
import { envelopeSender, sendIdFromVerp, verpAddress } from "@/server/services/email/verp";

const SEND = "0b6f3c1e-58a2-4c1d-9e7f-2a3b4c5d6e7f";
const MID = `<${SEND}@brand.test>`;

function sample(name: string, verp = "bounces@brand.test") {
  const text = fs
    .readFileSync(path.join(import.meta.dirname, "../fixtures/mail", name), "utf8")
    .replaceAll("{{VERP}}", verp)
    .replaceAll("{{TO}}", "ada@example.test")
    .replaceAll("{{MESSAGE_ID}}", MID);
  return Buffer.from(text.replace(/\r?\n/g, "\r\n"));
}

describe("VERP return paths", () => {
  it("round-trips a send id through bounces+token@domain", () => {
    const a = verpAddress(SEND, "bounces@mail.brand.test");
    expect(a).toMatch(/^bounces\+[a-z2-7]{34}@mail\.brand\.test$/);
    expect(sendIdFromVerp(a!)).toBe(SEND);
    expect(sendIdFromVerp(`<${a!.toUpperCase()}>`)).toBe(SEND);
  });

  it("refuses a forged or altered token", () => {
    const a = verpAddress(SEND, "bounces@brand.test")!;
    const token = a.slice(a.indexOf("+") + 1, a.indexOf("@"));
    const flipped = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    expect(sendIdFromVerp(a.replace(token, flipped))).toBeNull();
    const other = verpAddress("11111111-2222-4333-8444-555555555555", "bounces@brand.test")!;
    const otherToken = other.slice(other.indexOf("+") + 1, other.indexOf("@"));
    // Another send's id with this send's MAC.
    expect(sendIdFromVerp(a.replace(token, otherToken.slice(0, 26) + token.slice(26)))).toBeNull();
    expect(sendIdFromVerp("bounces@brand.test")).toBeNull();
    expect(sendIdFromVerp("not an address")).toBeNull();
  });

  it("envelopeSender uses the VERP address only with a bounce address and our Message-ID", () => {
    expect(envelopeSender(MID, null, "news@brand.test")).toBe("news@brand.test");
    expect(sendIdFromVerp(envelopeSender(MID, "b@brand.test", "news@brand.test"))).toBe(SEND);
    expect(envelopeSender("<test-x@brand.test>", "b@brand.test", "news@brand.test")).toBe("b@brand.test");
  });
});

describe("bounce mailbox messages", () => {
  it("a DSN with Action failed and Status 5.1.1 is a hard bounce, matched by the VERP address", async () => {
    const verp = verpAddress(SEND, "bounces@brand.test")!;
    const p = await parseMailboxMessage(sample("dsn-hard-5.1.1.eml", verp));
    expect(p.verdict).toMatchObject({ kind: "bounce", bounceType: "hard" });
    expect(p.verdict.detail).toContain("5.1.1");
    expect(p.deliveredTo).toContain(verp);
    expect(p.originalMessageIds).toContain(MID);
    expect(p.messageId).toBe("<20261123101503.8A3B21F0C4@mx.receiver.example>");
  });

  it("a delayed DSN with 4.2.2 is a soft bounce, matched by the returned message's Message-ID", async () => {
    const p = await parseMailboxMessage(sample("dsn-soft-4.2.2.eml"));
    expect(p.verdict).toMatchObject({ kind: "bounce", bounceType: "soft" });
    expect(p.verdict.detail).toContain("4.2.2");
    expect(p.originalMessageIds).toContain(MID);
  });

  it("an ARF abuse report is a complaint", async () => {
    const p = await parseMailboxMessage(sample("arf-complaint.eml"));
    expect(p.verdict.kind).toBe("complaint");
    expect(p.originalMessageIds).toEqual([MID]);
  });

  it("a reply names our message in In-Reply-To; anything else is left alone", async () => {
    const r = await parseMailboxMessage(sample("reply.eml"));
    expect(r.verdict.kind).toBe("reply");
    expect(r.originalMessageIds).toContain(MID);
    const u = await parseMailboxMessage(sample("unrelated.eml"));
    expect(u.verdict.kind).toBe("other");
    expect(u.originalMessageIds).toEqual([]);
  });
});

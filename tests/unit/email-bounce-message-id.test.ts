import { describe, expect, it } from "vitest";
import { sendIdFromMessageId } from "@/server/services/email/bounces";
import { messageIdFor } from "@/server/services/email/render";

const id = "3f2b8c1e-9a4d-4f6b-8e2a-1c5d7e9f0a1b";

describe("sendIdFromMessageId", () => {
  it("reads the send id from the Message-ID we give every campaign message", () => {
    expect(sendIdFromMessageId(messageIdFor(id, "acme.example"))).toBe(id);
    expect(sendIdFromMessageId(`<${id}@acme.example>`)).toBe(id);
  });

  it("accepts the forms providers report: no angle brackets, spaces, upper case", () => {
    expect(sendIdFromMessageId(`${id}@acme.example`)).toBe(id);
    expect(sendIdFromMessageId(`  <${id}@mail.acme.example>  `)).toBe(id);
    expect(sendIdFromMessageId(`<${id.toUpperCase()}@ACME.EXAMPLE>`)).toBe(id);
  });

  it("returns null for anything else", () => {
    for (const other of [
      "",
      "<>",
      id,
      `<test-${id}@acme.example>`,
      messageIdFor(null, "acme.example"),
      "<CAF=abc123@mail.gmail.com>",
      `<${id}@a@b>`,
      `<${id}x@acme.example>`,
      `<0100018c-${id}@email.amazonses.com>`,
      `<${id}@>`,
    ])
      expect(sendIdFromMessageId(other), other).toBeNull();
  });
});

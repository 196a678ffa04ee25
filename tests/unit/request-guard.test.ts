import { describe, expect, it } from "vitest";
import { isMalformedTarget, isStorableText } from "@/lib/request-guard";

describe("isMalformedTarget", () => {
  it("refuses NUL, encoded surrogates, overlong and truncated UTF-8 and bare % in a path segment", () => {
    for (const seg of ["%00", "a%00b", "%ED%A0%80", "%ED%BF%BF", "%C0%80", "%FF", "%E0%A4%A", "%", "%zz"]) {
      expect(isMalformedTarget(`/blog/${seg}/rss.xml`), seg).toBe(true);
    }
  });

  it("refuses the same in a query name or value, with + read as a space", () => {
    expect(isMalformedTarget("/f/confirm", "?token=%00")).toBe(true);
    expect(isMalformedTarget("/f/confirm", "?%ED%A0%80=1")).toBe(true);
    expect(isMalformedTarget("/f/confirm", "?a=1&b=%FF")).toBe(true);
    expect(isMalformedTarget("/f/confirm", "?token=a+b%2Bc&x=")).toBe(false);
  });

  it("lets ordinary and well-formed non-ASCII paths through", () => {
    for (const p of ["/", "/blog/acme/hello-world", "/blog/caf%C3%A9", "/u/%F0%9F%9A%80", "/a//b", "/%2F"]) {
      expect(isMalformedTarget(p), p).toBe(false);
    }
  });
});

describe("isStorableText", () => {
  it("is false for NUL and unpaired surrogates only", () => {
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("\uD800")).toBe(false);
    expect(isStorableText("x\uDFFF")).toBe(false);
    expect(isStorableText("𝕏🚀 ünï")).toBe(true);
    expect(isStorableText("")).toBe(true);
  });
});

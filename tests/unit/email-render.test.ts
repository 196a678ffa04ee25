import { describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { createLinkToken, verifyLinkToken } from "@/server/services/email/links";
import { renderCampaignEmail } from "@/server/services/email/render";
import { isMachineRequest } from "@/server/services/email/tracking";

const base = {
  workspace: { id: "00000000-0000-4000-8000-000000000001", name: "Acme & Sons", slug: "acme" },
  sender: {
    fromName: "Acme",
    fromEmail: "news@acme.example",
    replyTo: "",
    postalAddress: "1 Main St\nSpringfield 12345",
    sendRatePerSecond: 10,
  },
  step: {
    subject: "Hi {{name|friend}} — {{custom.plan}}",
    preheader: "Preview <text>",
    body: "Hello **{{name|there}}** ({{email}}).\n\n[Docs](https://docs.example.com/?u={{email}}) and [mail](mailto:x@acme.example)\n\n{{custom.missing|n/a}}",
  },
  sendId: "00000000-0000-4000-8000-0000000000aa",
  baseUrl: "https://app.example",
};

describe("renderCampaignEmail", () => {
  it("fills merge tags, escapes lead values in HTML and uses fallbacks", () => {
    const m = renderCampaignEmail({
      ...base,
      lead: {
        id: "l1",
        email: "a@b.example",
        name: `<script>alert("x")</script>`,
        customFields: { plan: "Pro" },
      },
    });
    expect(m.subject).toBe(`Hi <script>alert("x")</script> — Pro`);
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(m.html).toContain("n/a");
    expect(m.text).toContain(`Hello <script>alert("x")</script> (a@b.example).`);
    const fallback = renderCampaignEmail({ ...base, lead: { id: "l2", email: "c@d.example", name: null } });
    expect(fallback.subject).toBe("Hi friend — ");
    expect(fallback.html).toContain("<strong");
    expect(fallback.html).toContain(">there</strong>");
  });

  it("signs every http link (merge tags inside URLs filled first) and leaves mailto alone", () => {
    const m = renderCampaignEmail({ ...base, lead: { id: "l1", email: "a+1@b.example", name: "A" } });
    const hrefs = [...m.html.matchAll(/href="([^"]+)"/g)].map((x) => x[1]!.replace(/&amp;/g, "&"));
    expect(hrefs).toContain("mailto:x@acme.example");
    const click = hrefs.find((h) => h.startsWith("https://app.example/api/track/click/"))!;
    const payload = verifyLinkToken(click.split("/click/")[1]!, "c");
    expect(payload).toEqual({
      kind: "c",
      sendId: base.sendId,
      url: "https://docs.example.com/?u=a%2B1%40b.example",
    });
    expect(m.text).toContain("Docs (https://app.example/api/track/click/");
    expect(m.html).toMatch(/<img src="https:\/\/app\.example\/api\/track\/open\/[^"]+" width="1" height="1"/);
  });

  it("carries the footer, preheader and the bulk-sender headers", () => {
    const m = renderCampaignEmail({ ...base, lead: { id: "l1", email: "a@b.example", name: "A" } });
    expect(m.html).toContain("1 Main St<br>Springfield 12345");
    expect(m.html).toContain("Acme &amp; Sons");
    expect(m.html).toContain("Preview &lt;text&gt;");
    expect(m.html).toMatch(/href="https:\/\/app\.example\/u\/[^"]+"[^>]*>Unsubscribe/);
    expect(m.text).toMatch(/Unsubscribe: https:\/\/app\.example\/u\//);
    expect(m.headers["List-Unsubscribe"]).toMatch(
      /^<https:\/\/app\.example\/api\/unsubscribe\/[\w.-]+>, <mailto:news@acme\.example\?subject=unsubscribe>$/,
    );
    expect(m.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(m.headers["Message-ID"]).toBe(`<${base.sendId}@acme.example>`);
    const test1 = renderCampaignEmail({ ...base, sendId: null, lead: { id: "l1", email: "a@b.example" } });
    const test2 = renderCampaignEmail({ ...base, sendId: null, lead: { id: "l1", email: "a@b.example" } });
    expect(test1.headers["Message-ID"]).not.toBe(test2.headers["Message-ID"]);
  });
});

describe("link tokens", () => {
  it("reject tampering, other kinds and unsafe destinations", () => {
    const t = createLinkToken({ kind: "c", sendId: base.sendId, url: "https://ok.example/" });
    expect(verifyLinkToken(t, "c")?.url).toBe("https://ok.example/");
    expect(verifyLinkToken(t, "u")).toBeNull();
    const [data, sig] = t.split(".");
    const other = Buffer.from(`c\n${base.sendId}\nhttps://evil.example/`).toString("base64url");
    expect(verifyLinkToken(`${other}.${sig}`, "c")).toBeNull();
    expect(verifyLinkToken(`${data}.${sig}x`, "c")).toBeNull();
    expect(verifyLinkToken("", "c")).toBeNull();
    const js = createLinkToken({ kind: "c", sendId: base.sendId, url: "javascript:alert(1)" });
    expect(verifyLinkToken(js, "c")).toBeNull();
  });

  it("follow a changed BETTER_AUTH_SECRET at once, not a second later", () => {
    const sign = (secret: string) => {
      vi.stubEnv("BETTER_AUTH_SECRET", secret);
      resetEnvCache();
      return createLinkToken({ kind: "u", sendId: base.sendId });
    };
    try {
      const first = sign("first-secret-0123456789-0123456789-0123");
      const second = sign("second-secret-0123456789-0123456789-012");
      expect(second).not.toBe(first);
      expect(verifyLinkToken(first, "u")).toBeNull();
      expect(verifyLinkToken(second, "u")?.sendId).toBe(base.sendId);
    } finally {
      vi.unstubAllEnvs();
      resetEnvCache();
    }
  });
});

describe("machine opens and clicks", () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  const human =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";
  it("flags proxies, scanners, prefetches and instant clicks", () => {
    const sentAt = new Date(Date.now() - 60_000);
    expect(isMachineRequest({ userAgent: human, headers: h() }, { type: "open", sentAt })).toBe(false);
    expect(
      isMachineRequest(
        {
          userAgent:
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
          headers: h(),
        },
        { type: "open", sentAt },
      ),
    ).toBe(true);
    expect(
      isMachineRequest(
        {
          userAgent:
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
          headers: h(),
        },
        { type: "open", sentAt },
      ),
    ).toBe(true);
    expect(
      isMachineRequest({ userAgent: human, headers: h({ purpose: "prefetch" }) }, { type: "click", sentAt }),
    ).toBe(true);
    expect(
      isMachineRequest({ userAgent: "python-requests/2.31", headers: h() }, { type: "click", sentAt }),
    ).toBe(true);
    expect(
      isMachineRequest(
        { userAgent: human, headers: h() },
        { type: "click", sentAt: new Date(Date.now() - 500) },
      ),
    ).toBe(true);
    expect(isMachineRequest({ userAgent: null, headers: h() }, { type: "open", sentAt })).toBe(true);
  });
});

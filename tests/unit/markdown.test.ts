import { describe, expect, it } from "vitest";
import { renderMarkdown, sanitizeHtmlFragment, sanitizeMarkdown, toPlainText } from "@/lib/markdown";

const hostile = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  '<a href=" JaVaScRiPt:alert(1)">x</a>',
  "[click](javascript:alert(1))",
  "[click](JAVASCRIPT:alert(1))",
  "![img](javascript:alert(1))",
  '<svg onload="alert(1)"></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="background:url(javascript:alert(1))" onmouseover="x()">hi</div>',
  "<style>body{display:none}</style>",
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
];

describe("sanitizeMarkdown (on write)", () => {
  it.each(hostile)("removes the danger from %s", (input) => {
    const stored = sanitizeMarkdown(`Intro\n\n${input}\n\nOutro`);
    const html = renderMarkdown(stored);
    for (const out of [stored, html]) {
      expect(out).not.toMatch(/<script/i);
      expect(out).not.toMatch(/\son[a-z]+\s*=/i);
      expect(out).not.toMatch(/javascript:/i);
      expect(out).not.toMatch(/<iframe|<style|<svg/i);
      expect(out).not.toMatch(/href="data:/i);
    }
    expect(html).toContain("Intro");
    expect(html).toContain("Outro");
  });

  it("leaves ordinary Markdown byte-for-byte unchanged", () => {
    const md = [
      "# Launch day & more",
      "",
      "Price < $20 and **bold**, _italic_, `code <b>`.",
      "",
      "> A quote",
      "",
      "- [Shop](https://example.com/shop?a=1&b=2)",
      "- ![Box](https://example.com/box.png)",
      "",
      "```html",
      "<script>this is shown as code</script>",
      "```",
      "",
      "| a | b |",
      "|---|---|",
      "| 1 | 2 |",
      "",
      '<a href="https://example.com" title="t">safe html link</a>',
    ].join("\n");
    expect(sanitizeMarkdown(md)).toBe(md);
  });

  it("renders code blocks escaped, so script text in them is harmless", () => {
    const html = renderMarkdown("```\n<script>alert(1)</script>\n```");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
  });
});

describe("sanitizeHtmlFragment", () => {
  it("keeps safe formatting and adds rel to target=_blank links", () => {
    expect(
      sanitizeHtmlFragment('<p><strong>Hi</strong> <a href="https://x.test" target="_blank">x</a></p>'),
    ).toBe(
      '<p><strong>Hi</strong> <a href="https://x.test" target="_blank" rel="noopener noreferrer">x</a></p>',
    );
  });
});

describe("toPlainText", () => {
  it("strips all markup but keeps the characters people typed", () => {
    expect(toPlainText("Tom & Jerry <b>fun</b> <script>x</script>#ad")).toBe("Tom & Jerry fun #ad");
  });
});
